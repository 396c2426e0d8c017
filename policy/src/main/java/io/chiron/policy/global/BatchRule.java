package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The BATCH pool: the waiting-time estimate of the batch queue against each group's deadline,
 * earliest deadline first, over the batch instances and the spare slots of the mixed ones. Scale
 * out at once to the smallest sufficient count; scale in one at a time when one fewer still leaves
 * twice the cold start, after the cooldown. A long queue with distant deadlines is no reason to
 * scale.
 */
final class BatchRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ChironConfig config;
    private final PoolLoad load;

    BatchRule(ChironConfig config, PoolLoad load) {
        this.config = config;
        this.load = load;
    }

    Proposal propose(Look look) {
        PoolSignal p = look.pool();
        int current = look.current().get(InstanceRole.BATCH);
        double tokensPerSecond = load.tokensPerSecond(p);
        // Spare batch capacity of the mixed instances: what interactive work leaves of them.
        double interactiveOnMixed =
                Math.max(0, p.getRunningInteractive() - p.getBatchCapInteractive());
        double mixedSpare =
                p.getBatchCapMixed() == 0
                        ? 0
                        : p.getInstancesMixed()
                                * Math.max(0, 1 - interactiveOnMixed / p.getBatchCapMixed());
        var need = required(p, look.now(), tokensPerSecond, 1);
        int wanted =
                Math.max(config.minBatch, (int) Math.ceil(need.instances() - mixedSpare - 1e-9));
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("queue_batch", (double) p.getQueueBatch());
        inputs.put("t_b_tokens_per_s", tokensPerSecond);
        inputs.put("mixed_spare", mixedSpare);
        inputs.put("batch_instances_needed", need.instances());
        if (wanted > current) {
            String reason =
                    need.binding() == null
                            ? String.format("batch floor: at least %d BATCH instances", wanted)
                            : String.format(
                                    "batch deadline at risk: %d queued, group due in %d s needs"
                                            + " %.1f instances (T(B)=%.0f tok/s, %.1f mixed spare)%s",
                                    p.getQueueBatch(),
                                    (need.binding().getEarliestDeadlineTsMs() - look.now()) / 1000,
                                    need.instances(),
                                    tokensPerSecond,
                                    mixedSpare,
                                    need.feasible() ? "" : "; not feasible even at the maximum");
            return new Proposal(wanted, wanted, reason, inputs);
        }
        if (wanted < current
                && !look.stale()
                && GlobalAutoscaler.cooledDown(config, look.state(), look.now())) {
            // Hysteresis: one fewer must still leave twice the cold start before every deadline.
            var strict = required(p, look.now(), tokensPerSecond, 2);
            if (strict.feasible() && strict.instances() <= current - 1 + mixedSpare) {
                return new Proposal(
                        current - 1,
                        wanted,
                        String.format(
                                "batch over-provisioned: %d queued need %.1f instances with twice"
                                        + " the cold start in reserve, have %d + %.1f mixed spare:"
                                        + " one fewer",
                                p.getQueueBatch(), strict.instances(), current, mixedSpare),
                        inputs);
            }
        }
        return new Proposal(current, wanted, null, inputs);
    }

    /** The instances the queue needs with {@code coldStarts} cold starts plus the margin kept. */
    private WaitingTimeEstimator.Requirement required(
            PoolSignal p, long now, double tokensPerSecond, int coldStarts) {
        double reserve =
                (coldStarts * config.coldStart.toMillis() + config.margin.toMillis()) / 1000.0;
        return WaitingTimeEstimator.required(
                p.getQueueGroups(),
                now,
                load.prefillSecondsPerToken(),
                PoolLoad.meanOutput(p),
                p.getOutputTokensStd(),
                tokensPerSecond,
                config.z,
                reserve,
                config.maxInstances);
    }
}
