package io.chiron.policy.reference;

import io.chiron.core.DecisionInputs;
import io.chiron.core.RoleCounts;
import io.chiron.policy.Decisions;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hindsight reference: it knows every request of the run in advance and provisions for it. A
 * strong reference to compare against, <em>not</em> a bound (it packs at {@link #PACKING}, shares
 * the simulator's routing, and a cleverer schedule may beat it); {@link ServiceBounds} gives the
 * bound.
 *
 * <ul>
 *   <li><b>Batch size</b>: INTERACTIVE instances at the largest B whose iteration (decode plus a
 *       prefill chunk filling the rest of the budget) stays within α of the interactive ITL bound
 *       at the interactive requests' mean context, BATCH instances likewise for the batch bound;
 *       both within the KV cache and the engine's largest B.
 *   <li><b>Demand</b>, per second, in instance-seconds: each interactive request's work (prefill in
 *       budget-sized chunks above the shared weight read, decode at its role's B) spread over its
 *       service time from arrival; each batch request's work spread evenly from a cold start after
 *       its arrival to its deadline less the margin, which is the rate an earliest-deadline-first
 *       schedule of that work needs.
 *   <li><b>Instances</b>: per role, the busiest second of the next cold start plus one decision
 *       period at {@link #PACKING} utilization; the run starts with what the first of those windows
 *       needs, and nothing mixes (no MIXED instances, no preemption).
 * </ul>
 */
public final class HindsightPolicy implements ScalingPolicy {
    /** Utilization of the busiest second it provisions for: room for what a second hides. */
    static final double PACKING = 0.8;

    private static final long SLOT_MS = 1_000;

    private static final long PERIOD_MS = 5_000;

    /** The SLOs, timing and engine limits it plans with. */
    public record Settings(
            double interactiveItlMs,
            double batchItlMs,
            double alpha,
            long coldStartMs,
            long marginMs,
            int maxBatch,
            long kvCapacityTokens,
            int maxInstances,
            int chunkTokens) {}

    private final String name;
    private final long startMs;
    private final Settings settings;
    private final Map<InstanceRole, int[]> need = new EnumMap<>(InstanceRole.class);
    private final Map<InstanceRole, Integer> batchSize = new EnumMap<>(InstanceRole.class);
    private final Map<InstanceRole, Integer> lastTarget = new EnumMap<>(InstanceRole.class);
    private final Map<String, Integer> batchSet = new HashMap<>();
    private long lastRunMs = Long.MIN_VALUE;
    private long lastTargetMs;

    /**
     * @param horizonMs how long the run may last, ms after {@code startEpochMs}
     */
    public HindsightPolicy(
            String name,
            Load load,
            long startEpochMs,
            long horizonMs,
            LatencyModel model,
            Settings settings) {
        this.name = name;
        this.startMs = startEpochMs;
        this.settings = settings;
        int slots = (int) (horizonMs / SLOT_MS) + 2;
        double[] interactive = new double[slots + 1];
        double[] batch = new double[slots + 1];
        int bI = roleBatch(model, load, true, settings.interactiveItlMs());
        int bB = roleBatch(model, load, false, settings.batchItlMs());
        batchSize.put(InstanceRole.INTERACTIVE, bI);
        batchSize.put(InstanceRole.BATCH, bB);
        // Prefill as the fleet runs it: chunks of the iteration budget beside the decodes, each
        // costing its time above the shared weight read.
        int chunk = settings.chunkTokens();
        double prefillPerToken = (model.prefillMs(chunk, 0) - model.floorMs()) / chunk;
        double attention = model.attentionMsPerSquareToken();
        for (int i = 0; i < load.arrivalMs().length; i++) {
            int prompt = load.prompt()[i];
            int output = load.output()[i];
            boolean isInteractive = load.interactive()[i] || load.deadlineMs()[i] == 0;
            int b = isInteractive ? bI : bB;
            double stepMs = model.decodeMs(b, prompt + output / 2.0);
            double workMs =
                    prefillPerToken * prompt
                            + attention * (double) prompt * prompt
                            + Math.max(0, output - 1) * stepMs / b;
            long at = load.arrivalMs()[i] - startEpochMs;
            if (isInteractive) {
                long serviceMs = Math.max(SLOT_MS, (long) (output * stepMs));
                spread(interactive, at, at + serviceMs, workMs);
            } else {
                long from = at + settings.coldStartMs();
                long until = load.deadlineMs()[i] - startEpochMs - settings.marginMs();
                spread(
                        batch,
                        Math.min(from, until - SLOT_MS),
                        Math.max(until, at + SLOT_MS),
                        workMs);
            }
        }
        long lookahead = settings.coldStartMs() + PERIOD_MS;
        need.put(InstanceRole.INTERACTIVE, needAhead(interactive, lookahead));
        need.put(InstanceRole.BATCH, needAhead(batch, lookahead));
    }

    /**
     * The largest B whose iteration, with the rest of the iteration budget spent on a prefill
     * chunk, stays within α of the ITL bound at the class's mean context, in the KV cache.
     */
    private int roleBatch(LatencyModel model, Load load, boolean interactive, double itlMs) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < load.arrivalMs().length; i++) {
            boolean isInteractive = load.interactive()[i] || load.deadlineMs()[i] == 0;
            if (isInteractive == interactive) {
                sum += load.prompt()[i] + load.output()[i] / 2.0;
                n++;
            }
        }
        double context = n == 0 ? 1 : sum / n;
        int byKv = (int) Math.max(1, settings.kvCapacityTokens() / Math.max(1, context));
        int most = Math.min(settings.maxBatch(), byKv);
        return model.largestBatchWithChunkWithin(
                settings.alpha() * itlMs, context, most, settings.chunkTokens());
    }

    /** Adds {@code workMs} of instance-ms evenly over [from, until) ms into per-second demand. */
    private static void spread(double[] rate, long from, long until, double workMs) {
        from = Math.max(0, from);
        until = Math.max(from + 1, until);
        double perMs = workMs / (until - from);
        // A difference array: the rate starts at `from` and stops at `until`; slots hold
        // instance-seconds per second once summed (see needAhead), fractional at the ends.
        addAt(rate, from, perMs);
        addAt(rate, until, -perMs);
    }

    private static void addAt(double[] rate, long ms, double perMs) {
        int slot = (int) Math.min(rate.length - 1, ms / SLOT_MS);
        rate[slot] += perMs;
    }

    /** Instances per slot: the busiest second of [slot, slot + lookahead) at the packing. */
    private int[] needAhead(double[] delta, long lookaheadMs) {
        int n = delta.length - 1;
        int[] instances = new int[n];
        double perMs = 0;
        for (int s = 0; s < n; s++) {
            perMs += delta[s];
            // instance-ms per ms = instances busy at once
            instances[s] =
                    (int) Math.min(settings.maxInstances(), Math.ceil(perMs / PACKING - 1e-9));
        }
        int window = (int) Math.max(1, lookaheadMs / SLOT_MS);
        int[] ahead = new int[n];
        ArrayDeque<Integer> max = new ArrayDeque<>();
        for (int s = n - 1; s >= 0; s--) {
            while (!max.isEmpty() && instances[max.peekLast()] <= instances[s]) {
                max.pollLast();
            }
            max.addLast(s);
            while (max.peekFirst() >= s + window) {
                max.pollFirst();
            }
            ahead[s] = instances[max.peekFirst()];
        }
        return ahead;
    }

    private int needAt(InstanceRole role, long tMs) {
        int[] n = need.get(role);
        int slot = (int) Math.max(0, Math.min(n.length - 1, tMs / SLOT_MS));
        int v = n[slot];
        return role == InstanceRole.INTERACTIVE ? Math.max(1, v) : v;
    }

    /** The most instances its schedule needs at once: what static provisioning buys. */
    public int peakInstances() {
        int[] i = need.get(InstanceRole.INTERACTIVE);
        int[] b = need.get(InstanceRole.BATCH);
        int peak = 1;
        for (int s = 0; s < i.length; s++) {
            peak = Math.max(peak, Math.max(1, i[s]) + b[s]);
        }
        return Math.min(settings.maxInstances(), peak);
    }

    /** The batch size it runs on instances of a role. */
    public int batchSize(InstanceRole role) {
        return batchSize.getOrDefault(role, batchSize.get(InstanceRole.INTERACTIVE));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RoleCounts initialRoles(int total) {
        return RoleCounts.of(needAt(InstanceRole.INTERACTIVE, 0), 0, needAt(InstanceRole.BATCH, 0));
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        long now = pool.getWindowEndMs();
        List<ScalingDecision> decisions = new ArrayList<>();
        for (InstanceSignal s : instances) {
            Integer b = batchSize.get(s.getRole());
            if (s.getState() == InstanceState.STOPPED) {
                batchSet.remove(s.getInstanceId());
            } else if (b != null
                    && s.getState() == InstanceState.RUNNING
                    && s.getBatchCap() != b
                    && !b.equals(batchSet.get(s.getInstanceId()))) {
                batchSet.put(s.getInstanceId(), b);
                decisions.add(
                        Decisions.batchSize(
                                name,
                                s.getModel(),
                                s.getInstanceId(),
                                now,
                                b,
                                s.getBatchCap(),
                                "hindsight: the profile's best B for " + s.getRole() + " is " + b,
                                Map.of()));
            }
        }
        if (lastRunMs != Long.MIN_VALUE && now - lastRunMs < PERIOD_MS) {
            return decisions;
        }
        lastRunMs = now;
        long t = now - startMs;
        List<ScalingDecision> replicas = new ArrayList<>();
        for (InstanceRole role : InstanceRole.values()) {
            int target = role == InstanceRole.MIXED ? 0 : needAt(role, t);
            int observed = observed(pool, role);
            Integer last = lastTarget.get(role);
            int have = last != null && now - lastTargetMs < 2 * PERIOD_MS ? last : observed;
            if (target != have) {
                replicas.add(
                        Decisions.replicas(
                                name,
                                pool.getModel(),
                                role,
                                now,
                                target,
                                have,
                                "known future load needs " + target + " " + role + " instances",
                                Map.of(
                                        "instances_needed",
                                        (double) target,
                                        DecisionInputs.STALE_INSTANCES,
                                        (double) pool.getStaleInstances())));
                lastTarget.put(role, target);
                lastTargetMs = now;
            }
        }
        // Decreases first, so a draining instance can change role.
        replicas.sort(
                (a, b) ->
                        Integer.compare(
                                a.getTarget() - a.getPrevious(), b.getTarget() - b.getPrevious()));
        decisions.addAll(replicas);
        return decisions;
    }

    private static int observed(PoolSignal pool, InstanceRole role) {
        return switch (role) {
            case INTERACTIVE -> pool.getInstancesInteractive() + pool.getProvisioningInteractive();
            case MIXED -> pool.getInstancesMixed() + pool.getProvisioningMixed();
            case BATCH -> pool.getInstancesBatch() + pool.getProvisioningBatch();
        };
    }
}
