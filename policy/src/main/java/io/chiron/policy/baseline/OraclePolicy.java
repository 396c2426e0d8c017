package io.chiron.policy.baseline;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.Decisions;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A hindsight oracle: it knows every request of the run in advance. Each request's work is counted
 * in instance-seconds (its prompt at the profiled prefill cost, its output at 1/T(B)). Interactive
 * work must be served in the minute it arrives; batch work is spread evenly from its arrival to its
 * deadline less the margin. The oracle runs INTERACTIVE instances for the one and BATCH instances
 * for the other (no mixing, so no preemption), provisioned a cold start ahead at {@link #PACKING}
 * utilization, and starts with what the first minutes need.
 *
 * <p>{@link #lowerBoundGpuHours} is the bound no policy can beat at full SLO attainment: the total
 * work at the most efficient batch size the ITL bound allows, perfectly packed, with no cold start
 * and no idle time.
 */
public final class OraclePolicy implements ScalingPolicy {
    /** The utilization the oracle's own schedule assumes: headroom for bursts within a minute. */
    static final double PACKING = 0.8;

    private static final long SLOT_MS = 60_000;

    private final long startMs;
    private final double[] interactiveWork;
    private final double[] batchWork;
    private final long coldStartMs;
    private final int maxInstances;
    private final double lowerBoundHours;
    private final int[] lastTarget = {-1, -1, -1};
    private long lastRunMs;

    /**
     * @param fleetBatchCap the batch size the fleet runs (the oracle does not tune it)
     */
    public OraclePolicy(
            Load load,
            long startEpochMs,
            long durationMs,
            LatencyModel model,
            ChironConfig config,
            int maxInstances,
            int fleetBatchCap) {
        this.startMs = startEpochMs;
        this.coldStartMs = config.coldStart.toMillis();
        this.maxInstances = maxInstances;
        int slots = (int) (durationMs / SLOT_MS) + 2;
        this.interactiveWork = new double[slots];
        this.batchWork = new double[slots];
        double prefillPerToken = model.prefillMs(2048, 2048.0 * 2048) / 2048 / 1000;
        double itlBound = config.alpha * config.interactiveItl.toMillis();
        double total = 0;
        for (int i = 0; i < load.arrivalMs().length; i++) {
            double context = load.prompt()[i] + load.output()[i] / 2.0;
            double prefill = load.prompt()[i] * prefillPerToken;
            int best = model.largestBatchWithin(itlBound, context, config.batchMax);
            total += prefill + load.output()[i] / model.decodeTokensPerSecond(best, context);
            double work =
                    prefill
                            + load.output()[i]
                                    / model.decodeTokensPerSecond(
                                            Math.min(best, fleetBatchCap), context);
            long from = load.arrivalMs()[i] - startEpochMs;
            if (load.interactive()[i] || load.deadlineMs()[i] == 0) {
                spread(interactiveWork, from, from + SLOT_MS, work);
            } else {
                long until = load.deadlineMs()[i] - startEpochMs - config.margin.toMillis();
                spread(batchWork, from, Math.max(from + SLOT_MS, until), work);
            }
        }
        this.lowerBoundHours = total / 3600;
    }

    private static void spread(double[] slots, long from, long until, double work) {
        double perMs = work / (until - from);
        for (long t = from; t < until; ) {
            int slot = (int) (t / SLOT_MS);
            if (slot >= slots.length) {
                return;
            }
            long end = Math.min(until, (slot + 1) * SLOT_MS);
            slots[slot] += perMs * (end - t);
            t = end;
        }
    }

    /** GPU-hours no policy can go below at full SLO attainment (perfect packing of all work). */
    public double lowerBoundGpuHours() {
        return lowerBoundHours;
    }

    /** The most instances the oracle's schedule needs at once: what static provisioning needs. */
    public int peakInstances() {
        int peak = 1;
        for (int slot = 0; slot < interactiveWork.length; slot++) {
            peak =
                    Math.max(
                            peak,
                            (int) Math.ceil(interactiveWork[slot] / 60 / PACKING)
                                    + (int) Math.ceil(batchWork[slot] / 60 / PACKING));
        }
        return Math.min(maxInstances, peak);
    }

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public int[] initialRoles(int total) {
        // What the first cold start and the minute after it need: nothing new serves sooner.
        long horizon = coldStartMs + SLOT_MS;
        return new int[] {
            Math.max(1, need(interactiveWork, 0, horizon)), 0, need(batchWork, 0, horizon)
        };
    }

    /** Instances for the busiest minute in [from, until) ms of run time. */
    private int need(double[] slots, long from, long until) {
        int need = 0;
        for (int slot = (int) Math.max(0, from / SLOT_MS);
                slot * SLOT_MS < until && slot < slots.length;
                slot++) {
            need = Math.max(need, (int) Math.ceil(slots[slot] / 60 / PACKING));
        }
        return Math.min(maxInstances, need);
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        long now = pool.getWindowEndMs();
        if (lastRunMs != 0 && now - lastRunMs < 5_000) {
            return List.of();
        }
        lastRunMs = now;
        long t = now - startMs;
        // Keep what the current minute needs; add what the minute a cold start ahead needs.
        int[] target = {
            Math.max(1, need(interactiveWork, t, t + coldStartMs + SLOT_MS)),
            0,
            need(batchWork, t, t + coldStartMs + SLOT_MS)
        };
        int[] current = {
            pool.getInstancesInteractive() + pool.getProvisioningInteractive(),
            pool.getInstancesMixed() + pool.getProvisioningMixed(),
            pool.getInstancesBatch() + pool.getProvisioningBatch()
        };
        List<ScalingDecision> decisions = new ArrayList<>();
        for (InstanceRole role : InstanceRole.values()) {
            int r = role.ordinal();
            int have = lastTarget[r] >= 0 ? lastTarget[r] : current[r];
            if (target[r] != have) {
                decisions.add(
                        Decisions.replicas(
                                "oracle",
                                pool.getModel(),
                                role,
                                now,
                                target[r],
                                have,
                                "known future load needs " + target[r] + " " + role + " instances",
                                Map.of("instances_needed", (double) target[r])));
                lastTarget[r] = target[r];
            }
        }
        // Decreases first, so a draining instance can change role.
        decisions.sort(
                (a, b) ->
                        Integer.compare(
                                a.getTarget() - a.getPrevious(), b.getTarget() - b.getPrevious()));
        return decisions;
    }
}
