package io.chiron.policy.local;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.Decisions;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.ScalingDecision;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Chiron's local autoscaler (DESIGN.md §2): tunes one instance's maximum batch size B from its ITL
 * against the tightest SLO running on it, once per instance window.
 *
 * <ul>
 *   <li>First signal of an instance: B from the profile, the largest B whose profiled ITL at the
 *       instance's context stays within α·SLO.
 *   <li>{@code b = ITL_p95 / SLO > 1}: multiplicative decrease to {@code max(B_min, ⌊β·B⌋)}.
 *   <li>{@code b < α}, saturated, and the last increase paid (tokens/s up by ≥ ε): additive
 *       increase {@code B + max(1, ⌈γ·B⌉)} up to B_max (the KV-cache bound). An increase that did
 *       not pay freezes increases for the plateau hold.
 * </ul>
 *
 * Stale telemetry, an instance that is not RUNNING, and an instance that has not yet applied the
 * last decision all mean hold. B does not grow while the instance's interactive TTFT p95 exceeds
 * θ·TTFT_SLO (ours).
 */
public final class LocalAutoscaler implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ChironConfig config;
    private final LatencyModel model;
    private final String policyName;

    public LocalAutoscaler(ChironConfig config, LatencyModel model, String policyName) {
        this.config = config;
        this.model = model;
        this.policyName = policyName;
    }

    public Optional<ScalingDecision> decide(InstanceSignal s, LocalState state) {
        long now = s.getWindowEndMs();
        if (s.getState() != InstanceState.RUNNING) {
            return Optional.empty();
        }
        long windowMs = s.getWindowEndMs() - s.getWindowStartMs();
        long expected = windowMs / Math.max(1, config.heartbeatInterval.toMillis());
        if (s.getHeartbeats() * 2L < expected) {
            return Optional.empty(); // stale telemetry: hold
        }
        int current = s.getBatchCap();
        if (state.target != 0 && state.target != current) {
            return Optional.empty(); // the last decision is not applied yet
        }
        double slo = itlSlo(s);
        double meanContext = meanContext(s);
        int bMax = batchMax(s);
        Map<String, Double> inputs = inputs(s, slo, bMax);

        if (state.target == 0) {
            int initial =
                    clamp(
                            model.largestBatchWithChunkWithin(
                                    config.alpha * slo, meanContext, bMax, config.iterationTokens),
                            bMax);
            state.target = initial;
            state.targetSetAtMs = now;
            if (initial == current) {
                return Optional.empty();
            }
            return Optional.of(
                    decision(
                            s,
                            initial,
                            String.format(
                                    "initial B from the profile: largest B whose iteration with a"
                                            + " prefill chunk stays within %.0f%% of the %.0f ms SLO"
                                            + " at context %.0f is %d (was %d)",
                                    config.alpha * 100, slo, meanContext, initial, current),
                            inputs));
        }
        if (s.getDecodeSteps() == 0) {
            return Optional.empty(); // idle: nothing measured
        }
        double b = s.getItlP95Ms() / slo;
        inputs.put("backpressure", b);
        if (b > 1) {
            int next = clamp((int) Math.floor(config.beta * current), bMax);
            state.throughputBeforeIncrease = Double.NaN;
            if (next >= current) {
                return Optional.empty();
            }
            return Optional.of(
                    set(
                            s,
                            state,
                            next,
                            String.format(
                                    "ITL p95 %.1f ms > SLO %.0f ms (b=%.2f): B %d -> %d",
                                    s.getItlP95Ms(), slo, b, current, next),
                            inputs));
        }
        if (b >= config.alpha) {
            return Optional.empty();
        }
        boolean saturated = s.getRunningMax() >= config.saturation * current;
        if (!saturated || now < state.holdUntilMs) {
            return Optional.empty();
        }
        // Ours, beyond the paper: admitting more while interactive TTFT is already high only
        // lengthens the instance's own prefill backlog; the work is better off in the global
        // queue, where a new instance can take it.
        if (s.getCompletionsInteractive() > 0
                && s.getTtftP95Ms() > config.theta * config.interactiveTtft.toMillis()) {
            return Optional.empty();
        }
        if (!Double.isNaN(state.throughputBeforeIncrease)) {
            double gain =
                    s.getOutputTokensPerS() / Math.max(1e-9, state.throughputBeforeIncrease) - 1;
            if (gain < config.epsilon) {
                state.holdUntilMs = now + config.plateauHold.toMillis();
                state.throughputBeforeIncrease = Double.NaN;
                return Optional.empty(); // plateau: the last increase did not pay
            }
        }
        int next = clamp(current + Math.max(1, (int) Math.ceil(config.gamma * current)), bMax);
        if (next <= current) {
            return Optional.empty();
        }
        state.throughputBeforeIncrease = s.getOutputTokensPerS();
        return Optional.of(
                set(
                        s,
                        state,
                        next,
                        String.format(
                                "ITL p95 %.1f ms < %.0f%% of SLO %.0f ms and saturated (%d of %d"
                                        + " running): B %d -> %d",
                                s.getItlP95Ms(),
                                config.alpha * 100,
                                slo,
                                s.getRunningMax(),
                                current,
                                current,
                                next),
                        inputs));
    }

    private ScalingDecision set(
            InstanceSignal s, LocalState state, int next, String reason, Map<String, Double> in) {
        state.target = next;
        state.targetSetAtMs = s.getWindowEndMs();
        return decision(s, next, reason, in);
    }

    private ScalingDecision decision(
            InstanceSignal s, int target, String reason, Map<String, Double> inputs) {
        return Decisions.batchSize(
                policyName,
                s.getModel(),
                s.getInstanceId(),
                s.getWindowEndMs(),
                target,
                s.getBatchCap(),
                reason,
                inputs);
    }

    /** The tightest ITL bound running there; the role's class bound when idle. */
    private double itlSlo(InstanceSignal s) {
        if (s.getItlSloMs() > 0) {
            return s.getItlSloMs();
        }
        return config.itlSloMs(s.getRole() != InstanceRole.BATCH);
    }

    /**
     * Mean KV tokens per running sequence: kv_util·capacity/running. With nothing running there is
     * nothing to measure; 1,024 tokens is the order of the shipped traces' mean prompt.
     */
    private double meanContext(InstanceSignal s) {
        if (s.getRunningMean() >= 1 && s.getKvUtilMean() > 0) {
            return s.getKvUtilMean() * model.profile().kvCapacityTokens() / s.getRunningMean();
        }
        return 1024;
    }

    /**
     * B_max from the KV cache: a running sequence holds kv_util·capacity/running tokens, so the
     * cache holds running/kv_util sequences of that size; 90 % of that leaves room to grow.
     */
    private int batchMax(InstanceSignal s) {
        int bound = config.batchMax;
        if (s.getKvUtilMean() > 0.01 && s.getRunningMean() > 0) {
            bound = Math.min(bound, (int) (0.9 * s.getRunningMean() / s.getKvUtilMean()));
        }
        return Math.max(config.batchMin, bound);
    }

    private int clamp(int b, int bMax) {
        return Math.max(config.batchMin, Math.min(bMax, b));
    }

    private static Map<String, Double> inputs(InstanceSignal s, double slo, int bMax) {
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("batch_cap", (double) s.getBatchCap());
        in.put("itl_p95_ms", s.getItlP95Ms());
        in.put("itl_slo_ms", slo);
        in.put("running_max", (double) s.getRunningMax());
        in.put("output_tokens_per_s", s.getOutputTokensPerS());
        in.put("kv_util_mean", s.getKvUtilMean());
        in.put("batch_max", (double) bMax);
        return in;
    }
}
