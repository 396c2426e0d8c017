package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.Decisions;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chiron's global autoscaler (DESIGN.md §2): sets the number of INTERACTIVE, MIXED and BATCH
 * instances of one model pool every {@code global.period}.
 *
 * <ul>
 *   <li><b>Batch</b>: the waiting-time estimate of the batch queue against each group's deadline,
 *       earliest deadline first; scale out at once to the smallest sufficient capacity, scale in
 *       one instance at a time when one fewer still leaves twice the cold start, after the
 *       cooldown. A long queue with distant deadlines is no reason to scale.
 *   <li><b>Interactive</b>: {@code b_int = max(U/U_target, TTFT_p95/(θ·TTFT_SLO))}. Ours beyond the
 *       paper's text: the interactive arrivals of the last period, in instance-seconds (prompt at
 *       the prefill cost, output at 1/T(B)), give the instances needed at U_target, and a deficit
 *       by that rate scales out at once, counting instances already starting. Pressure adds {@code
 *       ⌈m·(min(b_int, F)−1)⌉} after {@code confirm-periods} periods above 1, only while capacity
 *       is short (slots saturated or the queue growing; a high TTFT over a shrinking queue is a
 *       backlog draining) and nothing is starting. Scale in one at a time after b_int stayed below
 *       {@code scale-in-below} for the stabilization window.
 *   <li><b>Mixed headroom</b>: enough MIXED instances to absorb the interactive peak-to-mean over
 *       one cold-start interval, since no cold start is fast enough for a burst.
 * </ul>
 *
 * Stale telemetry never scales in. Within two periods of a decision whose effect the telemetry does
 * not show yet, the decided count is taken as current (the actuation is in flight).
 */
public final class GlobalAutoscaler implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final InstanceRole[] ROLES = InstanceRole.values();

    /** How much interactive arrival history the headroom rule looks at. */
    private static final long HISTORY_MS = 10 * 60 * 1000L;

    /** Output length assumed before any request has finished, tokens. */
    private static final double DEFAULT_OUTPUT = 256;

    /** Batch size assumed before any instance reports one. */
    private static final double DEFAULT_BATCH = 64;

    private final ChironConfig config;
    private final LatencyModel model;
    private final String policyName;
    private final long windowMs;

    /**
     * @param windowMs length of the pool windows feeding {@link #onPoolSignal}
     */
    public GlobalAutoscaler(
            ChironConfig config, LatencyModel model, String policyName, long windowMs) {
        this.config = config;
        this.model = model;
        this.policyName = policyName;
        this.windowMs = windowMs;
    }

    /** Records the window and, once per global period, decides. */
    public List<ScalingDecision> onPoolSignal(PoolSignal p, PoolState state) {
        recordArrivals(p, state);
        long now = p.getWindowEndMs();
        if (state.lastRunMs != 0 && now - state.lastRunMs < config.globalPeriod.toMillis()) {
            return List.of();
        }
        state.lastRunMs = now;
        return decide(p, state, now);
    }

    private List<ScalingDecision> decide(PoolSignal p, PoolState state, long now) {
        if (state.lastActionMs == 0) {
            // No history yet: the cooldown runs from the first look, not from the epoch.
            state.lastActionMs = now;
        }
        int[] current = current(p, state, now);
        int[] target = current.clone();
        String[] reasons = new String[3];
        Map<String, Double> inputs = new LinkedHashMap<>();
        boolean stale = p.getStaleInstances() > 0;
        inputs.put("stale_instances", (double) p.getStaleInstances());
        for (InstanceRole r : ROLES) {
            inputs.put("instances_" + r.name().toLowerCase(), (double) current[r.ordinal()]);
        }

        // What each role needs now, before hysteresis: the rest is surplus a growing role may take.
        int[] needed = current.clone();
        interactive(p, state, now, current, target, reasons, inputs, stale, needed);
        headroom(p, state, current, target, reasons, inputs, stale, now, needed);
        batch(p, state, now, current, target, reasons, inputs, stale, needed);
        if (!stale) {
            preferRoleChanges(current, target, needed, reasons);
        }
        clampTotal(target, reasons);

        // Decreases first: the fleet reuses instances it is draining for a role that grows, so
        // a role change costs no cold start.
        List<ScalingDecision> decreases = new ArrayList<>();
        List<ScalingDecision> increases = new ArrayList<>();
        for (InstanceRole r : ROLES) {
            int i = r.ordinal();
            if (target[i] == current[i]) {
                continue;
            }
            ScalingDecision d =
                    Decisions.replicas(
                            policyName,
                            p.getModel(),
                            r,
                            now,
                            target[i],
                            current[i],
                            reasons[i],
                            inputs);
            (target[i] < current[i] ? decreases : increases).add(d);
            state.lastTarget[i] = target[i];
            state.lastTargetAtMs[i] = now;
            state.lastActionMs = now;
        }
        decreases.addAll(increases);
        return decreases;
    }

    private void interactive(
            PoolSignal p,
            PoolState state,
            long now,
            int[] current,
            int[] target,
            String[] reasons,
            Map<String, Double> inputs,
            boolean stale,
            int[] needed) {
        int i = InstanceRole.INTERACTIVE.ordinal();
        long lastQueue = state.lastQueueInteractive;
        state.lastQueueInteractive = p.getQueueInteractive();
        long capacity = p.getBatchCapInteractive() + p.getBatchCapMixed();
        long running = p.getRunningInteractive();
        double u =
                capacity == 0
                        ? (running > 0 ? Double.POSITIVE_INFINITY : 0)
                        : (double) running / capacity;
        double ttftTerm = p.getTtftP95Ms() / (config.theta * config.interactiveTtft.toMillis());
        double bInt = Math.max(u / config.utilizationTarget, ttftTerm);
        inputs.put("interactive_utilization", u);
        inputs.put("ttft_p95_ms", p.getTtftP95Ms());
        inputs.put("b_int", bInt);

        if (bInt > 1) {
            state.highPeriods++;
            state.lowSinceMs = 0;
        } else {
            state.highPeriods = 0;
        }
        int serving = p.getInstancesInteractive() + p.getInstancesMixed();
        int pending = p.getProvisioningInteractive() + p.getProvisioningMixed();
        // What the interactive arrivals of the last period need at U_target: their prompts at
        // the prefill cost, their outputs at 1/T(B). The rate is known at arrival, before any
        // TTFT degrades, and is not noisy: a deficit by rate needs no confirmation.
        // Sized for the load one cold start ahead: the arrival rate of the last 30 s, plus its
        // rise against the minute before that carried over the cold start (rising only, at most
        // half again), since capacity asked for now serves only after a cold start. Windows long
        // enough that Poisson noise and long prompts do not make the sizing jitter.
        double recent = interactiveRateNeed(p, state, 0, 6);
        double older = interactiveRateNeed(p, state, 6, 12);
        double slope = Math.max(0, recent - older) / 45.0; // centres 15 s and 60 s ago
        double ahead = recent + Math.min(0.5 * recent, slope * (config.coldStart.toSeconds() + 15));
        double byRate = ahead / config.utilizationTarget;
        inputs.put("interactive_instances_by_rate", byRate);
        int rateDeficit = (int) Math.ceil(byRate - 1e-9) - serving - pending;
        // Pressure, confirmed over periods, adds capacity while it is short: slots saturated or
        // the queue growing (a high TTFT over a shrinking queue is a backlog draining on enough
        // capacity). While instances are starting it does not show them yet: then only the rate
        // may ask for more than is already coming.
        boolean confirmed = bInt > 1 && state.highPeriods >= config.confirmPeriods;
        boolean short_ = u > config.utilizationTarget || p.getQueueInteractive() > lastQueue;
        int byPressure =
                confirmed && short_ && pending == 0
                        ? (int) Math.ceil(serving * (Math.min(bInt, config.maxScaleOutFactor) - 1))
                        : 0;
        // Pressure drains a backlog; it need not go far beyond what the rate needs.
        if (byRate > 0) {
            byPressure = Math.min(byPressure, Math.max(1, (int) Math.ceil(1.5 * byRate) - serving));
        }
        int add = Math.max(rateDeficit, byPressure);
        if (serving + pending == 0) {
            add = Math.max(add, 1);
        }
        if (add > 0) {
            target[i] = current[i] + add;
            int periods = state.highPeriods;
            state.highPeriods = 0; // the next pressure scale-out needs its own confirmation
            reasons[i] =
                    add == rateDeficit && rateDeficit >= byPressure
                            ? String.format(
                                    "interactive arrivals need %.1f instances at U_target %.2f:"
                                            + " +%d on %d serving, %d starting",
                                    byRate, config.utilizationTarget, add, serving, pending)
                            : String.format(
                                    "interactive backpressure b_int=%.2f > 1 for %d periods (U=%.2f,"
                                            + " TTFT p95 %.0f ms): +%d on %d serving, %d starting",
                                    bInt, periods, u, p.getTtftP95Ms(), add, serving, pending);
            return;
        }
        if (bInt < config.scaleInBelow) {
            // Never below what the arrivals need now (without the trend), with 10 % to spare.
            boolean rateAllows = serving - 1 >= Math.ceil(1.1 * recent / config.utilizationTarget);
            needed[i] = rateAllows ? Math.max(config.minInteractive, current[i] - 1) : current[i];
            if (state.lowSinceMs == 0) {
                state.lowSinceMs = now;
            }
            boolean stable = now - state.lowSinceMs >= config.stabilization.toMillis();
            if (stable
                    && rateAllows
                    && !stale
                    && current[i] > config.minInteractive
                    && cooledDown(state, now)) {
                target[i] = current[i] - 1;
                state.lowSinceMs = now;
                reasons[i] =
                        String.format(
                                "interactive backpressure b_int=%.2f < %.2f for %d s: one instance"
                                        + " fewer",
                                bInt, config.scaleInBelow, config.stabilization.toSeconds());
            }
        } else {
            state.lowSinceMs = 0;
        }
    }

    private void headroom(
            PoolSignal p,
            PoolState state,
            int[] current,
            int[] target,
            String[] reasons,
            Map<String, Double> inputs,
            boolean stale,
            long now,
            int[] needed) {
        int i = InstanceRole.MIXED.ordinal();
        double ratio = peakToMean(state);
        int interactive = target[InstanceRole.INTERACTIVE.ordinal()];
        // Interactive and mixed instances together cover the peak of the last ten minutes over a
        // cold-start interval: the mean need times the peak-to-mean ratio. Sized from the mean
        // need, not from the interactive count, which itself follows bursts.
        double meanNeed =
                interactiveRateNeed(p, state, 0, state.arrivalWindows) / config.utilizationTarget;
        double peakNeed = meanNeed * ratio;
        int wanted = Math.max(config.minMixed, (int) Math.ceil(peakNeed - 1e-9) - interactive);
        inputs.put("arrival_peak_to_mean", ratio);
        inputs.put("interactive_peak_need", peakNeed);
        needed[i] = wanted;
        if (wanted > current[i]) {
            target[i] = wanted;
            reasons[i] =
                    String.format(
                            "mixed headroom: the interactive peak (mean need %.1f x peak-to-mean"
                                    + " %.2f over one cold start) needs %.1f instances, %d are"
                                    + " interactive: %d mixed",
                            meanNeed, ratio, peakNeed, interactive, wanted);
        } else if (wanted < current[i] && !stale && cooledDown(state, now)) {
            target[i] = current[i] - 1;
            reasons[i] =
                    String.format(
                            "mixed headroom: %d needed for peak-to-mean %.2f, have %d: one fewer",
                            wanted, ratio, current[i]);
        }
    }

    private void batch(
            PoolSignal p,
            PoolState state,
            long now,
            int[] current,
            int[] target,
            String[] reasons,
            Map<String, Double> inputs,
            boolean stale,
            int[] needed) {
        int i = InstanceRole.BATCH.ordinal();
        double tokensPerSecond = tokensPerSecond(p);
        double prefillPerToken = prefillSecondsPerToken();
        double mu = p.getOutputTokensMean() > 0 ? p.getOutputTokensMean() : DEFAULT_OUTPUT;
        double sigma = p.getOutputTokensStd();
        // Spare batch capacity of the mixed instances: what interactive work leaves of them.
        double interactiveOnMixed =
                Math.max(0, p.getRunningInteractive() - p.getBatchCapInteractive());
        double mixedSpare =
                p.getBatchCapMixed() == 0
                        ? 0
                        : p.getInstancesMixed()
                                * Math.max(0, 1 - interactiveOnMixed / p.getBatchCapMixed());
        double reserve = (config.coldStart.toMillis() + config.margin.toMillis()) / 1000.0;
        var need =
                WaitingTimeEstimator.required(
                        p.getQueueGroups(),
                        now,
                        prefillPerToken,
                        mu,
                        sigma,
                        tokensPerSecond,
                        config.z,
                        reserve,
                        config.maxInstances);
        int wanted =
                Math.max(config.minBatch, (int) Math.ceil(need.instances() - mixedSpare - 1e-9));
        inputs.put("queue_batch", (double) p.getQueueBatch());
        inputs.put("t_b_tokens_per_s", tokensPerSecond);
        inputs.put("mixed_spare", mixedSpare);
        inputs.put("batch_instances_needed", need.instances());
        needed[i] = wanted;
        if (wanted > current[i]) {
            target[i] = wanted;
            reasons[i] =
                    need.binding() == null
                            ? String.format("batch floor: at least %d BATCH instances", wanted)
                            : String.format(
                                    "batch deadline at risk: %d queued, group due in %d s needs"
                                            + " %.1f instances (T(B)=%.0f tok/s, %.1f mixed spare)%s",
                                    p.getQueueBatch(),
                                    (need.binding().getEarliestDeadlineTsMs() - now) / 1000,
                                    need.instances(),
                                    tokensPerSecond,
                                    mixedSpare,
                                    need.feasible() ? "" : "; not feasible even at the maximum");
            return;
        }
        if (wanted < current[i] && !stale && cooledDown(state, now)) {
            // Hysteresis: one fewer must still leave twice the cold start before every deadline.
            double reserve2 = (2 * config.coldStart.toMillis() + config.margin.toMillis()) / 1000.0;
            var strict =
                    WaitingTimeEstimator.required(
                            p.getQueueGroups(),
                            now,
                            prefillPerToken,
                            mu,
                            sigma,
                            tokensPerSecond,
                            config.z,
                            reserve2,
                            config.maxInstances);
            if (strict.feasible() && strict.instances() <= current[i] - 1 + mixedSpare) {
                target[i] = current[i] - 1;
                reasons[i] =
                        String.format(
                                "batch over-provisioned: %d queued need %.1f instances with twice"
                                        + " the cold start in reserve, have %d + %.1f mixed spare:"
                                        + " one fewer",
                                p.getQueueBatch(), strict.instances(), current[i], mixedSpare);
            }
        }
    }

    /**
     * Instance-seconds per second that the interactive arrivals of a global period bring (the last
     * one, or {@code periodsAgo} before it): their prompt tokens at the prefill cost, their outputs
     * (the mean so far) at 1/T(B).
     */
    private double interactiveRateNeed(PoolSignal p, PoolState state, int skip, int windows) {
        if (skip > 0 && state.arrivalWindows < skip + windows) {
            return interactiveRateNeed(p, state, 0, Math.min(6, windows)); // no history for a trend
        }
        windows = Math.min(windows, state.arrivalWindows - skip); // a young pool: what there is
        if (windows <= 0) {
            return 0;
        }
        long arrivals = 0;
        long prompt = 0;
        for (int k = 1 + skip; k <= skip + windows; k++) {
            int slot = Math.floorMod(state.arrivalCursor - k, state.arrivals.length);
            arrivals += state.arrivals[slot];
            prompt += state.arrivalPrompt[slot];
        }
        double seconds = windows * windowMs / 1000.0;
        double output = p.getOutputTokensMean() > 0 ? p.getOutputTokensMean() : DEFAULT_OUTPUT;
        return (prompt * prefillSecondsPerToken() + arrivals * output / tokensPerSecond(p))
                / seconds;
    }

    private double tokensPerSecond(PoolSignal p) {
        double batchCap = p.getBatchCapMean() > 0 ? p.getBatchCapMean() : DEFAULT_BATCH;
        double context = p.getPromptTokensMean() + p.getOutputTokensMean() / 2;
        return model.decodeTokensPerSecond((int) Math.round(batchCap), context);
    }

    /** Prefill cost per token at a full chunk, where prefill is compute-bound. */
    private double prefillSecondsPerToken() {
        return model.prefillMs(2048, 2048.0 * 2048) / 2048 / 1000;
    }

    /**
     * A role that grows takes instances from roles with a surplus first, whatever their cooldown: a
     * role change costs no cold start (the fleet hands a draining instance to the growing role).
     */
    private static void preferRoleChanges(
            int[] current, int[] target, int[] needed, String[] reasons) {
        for (InstanceRole grow : ROLES) {
            int g = grow.ordinal();
            // The growing role's target already counts these instances: only the givers move.
            int remaining = target[g] - current[g];
            for (InstanceRole give : ROLES) {
                int q = give.ordinal();
                // Surplus not yet given up: above what the role needs and above its target.
                int surplus = Math.min(target[q], current[q]) - needed[q];
                if (q == g || remaining <= 0 || surplus <= 0) {
                    continue;
                }
                int moved = Math.min(remaining, surplus);
                target[q] -= moved;
                remaining -= moved;
                reasons[q] =
                        String.format(
                                "role change: %d %s instance%s to %s, which grows (%s needs %d)",
                                moved, give, moved == 1 ? "" : "s", grow, give, needed[q]);
            }
        }
    }

    /** The pool may hold at most max-instances: trim batch first, then mixed. */
    private void clampTotal(int[] target, String[] reasons) {
        int excess = target[0] + target[1] + target[2] - config.maxInstances;
        for (int i : new int[] {2, 1, 0}) {
            if (excess <= 0) {
                return;
            }
            int cut = Math.min(excess, target[i]);
            target[i] -= cut;
            excess -= cut;
            reasons[i] =
                    (reasons[i] == null ? "" : reasons[i] + "; ")
                            + "capped by max-instances "
                            + config.maxInstances;
        }
    }

    private boolean cooledDown(PoolState state, long now) {
        return now - state.lastActionMs >= config.scaleInCooldown.toMillis();
    }

    /** Instances per role as the telemetry shows them, or as decided while that is in flight. */
    private int[] current(PoolSignal p, PoolState state, long now) {
        int[] observed = {
            p.getInstancesInteractive() + p.getProvisioningInteractive(),
            p.getInstancesMixed() + p.getProvisioningMixed(),
            p.getInstancesBatch() + p.getProvisioningBatch()
        };
        for (int i = 0; i < 3; i++) {
            boolean inFlight =
                    state.lastTarget[i] >= 0
                            && now - state.lastTargetAtMs[i] < 2 * config.globalPeriod.toMillis();
            if (inFlight && observed[i] != state.lastTarget[i]) {
                observed[i] = state.lastTarget[i];
            }
        }
        return observed;
    }

    private void recordArrivals(PoolSignal p, PoolState state) {
        int size = (int) Math.max(1, HISTORY_MS / windowMs);
        if (state.arrivals.length != size) {
            state.arrivals = new long[size];
            state.arrivalPrompt = new long[size];
            state.arrivalCursor = 0;
            state.arrivalWindows = 0;
        }
        state.arrivals[state.arrivalCursor] = p.getArrivalsInteractive();
        state.arrivalPrompt[state.arrivalCursor] = p.getArrivalPromptTokensInteractive();
        state.arrivalCursor = (state.arrivalCursor + 1) % size;
        state.arrivalWindows = Math.min(size, state.arrivalWindows + 1);
    }

    /**
     * Peak-to-mean of interactive arrivals: the busiest cold-start interval of the last ten minutes
     * against the ten-minute mean; 1 until a cold-start interval has been seen.
     */
    private double peakToMean(PoolState state) {
        int n = state.arrivalWindows;
        int span = (int) Math.max(1, config.coldStart.toMillis() / windowMs);
        if (n < span) {
            return 1;
        }
        int size = state.arrivals.length;
        long total = 0;
        long[] ordered = new long[n];
        for (int k = 0; k < n; k++) {
            ordered[k] = state.arrivals[Math.floorMod(state.arrivalCursor - n + k, size)];
            total += ordered[k];
        }
        if (total == 0) {
            return 1;
        }
        long window = 0;
        long peak = 0;
        for (int k = 0; k < n; k++) {
            window += ordered[k];
            if (k >= span) {
                window -= ordered[k - span];
            }
            if (k >= span - 1) {
                peak = Math.max(peak, window);
            }
        }
        double mean = (double) total * span / n;
        return Math.max(1, peak / mean);
    }
}
