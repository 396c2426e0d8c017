package io.chiron.policy.global;

import io.chiron.core.DecisionInputs;
import io.chiron.core.LoopTiming;
import io.chiron.core.RoleCounts;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.Decisions;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
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
 *
 * <p>Each rule ({@link InteractiveRule}, {@link HeadroomRule}, {@link BatchRule}) returns a {@link
 * Proposal} for its role; this class coordinates them: role changes before cold starts, the total
 * within max-instances, decreases before increases.
 */
public final class GlobalAutoscaler implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Roles in the order the total cap trims them: batch first, then mixed, then interactive. */
    private static final InstanceRole[] TRIM_ORDER = {
        InstanceRole.BATCH, InstanceRole.MIXED, InstanceRole.INTERACTIVE
    };

    /**
     * Input key: the interactive demand of the newest forecast step (15 s), in instance-seconds per
     * second, the series {@link #INTERACTIVE_FORECAST} extrapolates.
     */
    public static final String INTERACTIVE_DEMAND = "interactive_demand";

    /**
     * Input key: the HOLT forecast of {@link #INTERACTIVE_DEMAND} {@link #FORECAST_HORIZON_S}
     * ahead; absent while the history is shorter than four steps or the forecaster is not HOLT.
     */
    public static final String INTERACTIVE_FORECAST = "forecast_interactive_demand";

    /** Input key: the standard deviation of the forecast's one-step errors. */
    public static final String INTERACTIVE_FORECAST_SIGMA = "forecast_interactive_sigma";

    /**
     * Input key: the demand the season before says to size for over the horizon (see {@link
     * Season#ahead}); absent while it says nothing (no season of history, or no rise of {@link
     * Season#RISE} times).
     */
    public static final String INTERACTIVE_SEASON = "forecast_interactive_season";

    /** Input key: how far ahead the forecast looks, in seconds (whole steps). */
    public static final String FORECAST_HORIZON_S = "forecast_horizon_s";

    private final ChironConfig config;
    private final String policyName;
    private final PoolLoad load;
    private final InteractiveRule interactive;
    private final HeadroomRule headroom;
    private final BatchRule batch;

    /**
     * @param windowMs length of the pool windows feeding {@link #onPoolSignal}
     */
    public GlobalAutoscaler(
            ChironConfig config, LatencyModel model, String policyName, long windowMs) {
        this.config = config;
        this.policyName = policyName;
        this.load =
                new PoolLoad(
                        model,
                        new LoopTiming(
                                Duration.ofMillis(windowMs), config.globalPeriod, config.coldStart),
                        config.iterationTokens);
        this.interactive = new InteractiveRule(config, load);
        this.headroom = new HeadroomRule(config, load);
        this.batch = new BatchRule(config, load);
    }

    /** Records the window and, once per global period, decides. */
    public List<ScalingDecision> onPoolSignal(PoolSignal p, PoolState state) {
        return onPoolSignal(p, state, new LinkedHashMap<>());
    }

    /**
     * As {@link #onPoolSignal(PoolSignal, PoolState)}, and puts into {@code looked} the inputs of
     * this period's look (the ones a decision carries, such as {@link #INTERACTIVE_DEMAND} and
     * {@link #INTERACTIVE_FORECAST}) whether or not a decision follows; nothing when it did not
     * look.
     */
    public List<ScalingDecision> onPoolSignal(
            PoolSignal p, PoolState state, Map<String, Double> looked) {
        load.recordArrivals(p, state);
        long now = p.getWindowEndMs();
        if (state.lastRunMs != 0 && now - state.lastRunMs < config.globalPeriod.toMillis()) {
            return List.of();
        }
        state.lastRunMs = now;
        return decide(p, state, now, looked);
    }

    private List<ScalingDecision> decide(
            PoolSignal p, PoolState state, long now, Map<String, Double> inputs) {
        if (seesNoInstance(p)) {
            // No instance of any role in the window's telemetry: the telemetry is missing (a
            // pool's first window starts mid-window, an agent is down), not the fleet. A target
            // state computed from it would be below what runs: a scale-in on missing telemetry.
            // Hold.
            return List.of();
        }
        if (state.lastActionMs == 0) {
            // No history yet: the cooldown runs from the first look, not from the epoch.
            state.lastActionMs = now;
        }
        RoleCounts current = current(p, state, now);
        boolean stale = p.getStaleInstances() > 0;
        Look look = new Look(p, state, now, current, stale);
        inputs.put(DecisionInputs.STALE_INSTANCES, (double) p.getStaleInstances());
        for (InstanceRole r : InstanceRole.values()) {
            inputs.put("instances_" + r.name().toLowerCase(), (double) current.get(r));
        }
        Map<InstanceRole, Proposal> proposals = new EnumMap<>(InstanceRole.class);
        Proposal forInteractive = interactive.propose(look);
        proposals.put(InstanceRole.INTERACTIVE, forInteractive);
        proposals.put(InstanceRole.MIXED, headroom.propose(look, forInteractive.target()));
        proposals.put(InstanceRole.BATCH, batch.propose(look));
        proposals.values().forEach(pr -> inputs.putAll(pr.inputs()));

        EnumMap<InstanceRole, Integer> target = new EnumMap<>(InstanceRole.class);
        EnumMap<InstanceRole, Integer> needed = new EnumMap<>(InstanceRole.class);
        EnumMap<InstanceRole, String> reasons = new EnumMap<>(InstanceRole.class);
        proposals.forEach(
                (role, pr) -> {
                    target.put(role, pr.target());
                    needed.put(role, pr.needed());
                    if (pr.reason() != null) {
                        reasons.put(role, pr.reason());
                    }
                });
        if (!stale) {
            preferRoleChanges(current, target, needed, reasons);
        }
        clampTotal(target, reasons);
        return decisions(p, state, now, current, target, reasons, inputs);
    }

    /** One decision per role whose target differs, decreases first, remembered as in flight. */
    private List<ScalingDecision> decisions(
            PoolSignal p,
            PoolState state,
            long now,
            RoleCounts current,
            Map<InstanceRole, Integer> target,
            Map<InstanceRole, String> reasons,
            Map<String, Double> inputs) {
        // Decreases first: the fleet reuses instances it is draining for a role that grows, so
        // a role change costs no cold start.
        List<ScalingDecision> decreases = new ArrayList<>();
        List<ScalingDecision> increases = new ArrayList<>();
        for (InstanceRole r : InstanceRole.values()) {
            int want = target.get(r);
            int have = current.get(r);
            if (want == have) {
                continue;
            }
            ScalingDecision d =
                    Decisions.replicas(
                            policyName, p.getModel(), r, now, want, have, reasons.get(r), inputs);
            (want < have ? decreases : increases).add(d);
            state.recordTarget(r, want, now);
            state.lastActionMs = now;
        }
        decreases.addAll(increases);
        return decreases;
    }

    /**
     * A role that grows takes instances from roles with a surplus first, whatever their cooldown: a
     * role change costs no cold start (the fleet hands a draining instance to the growing role).
     */
    private static void preferRoleChanges(
            RoleCounts current,
            Map<InstanceRole, Integer> target,
            Map<InstanceRole, Integer> needed,
            Map<InstanceRole, String> reasons) {
        for (InstanceRole grow : InstanceRole.values()) {
            // The growing role's target already counts these instances: only the givers move.
            int remaining = target.get(grow) - current.get(grow);
            for (InstanceRole give : InstanceRole.values()) {
                // Surplus not yet given up: above what the role needs and above its target.
                int surplus = Math.min(target.get(give), current.get(give)) - needed.get(give);
                if (give == grow || remaining <= 0 || surplus <= 0) {
                    continue;
                }
                int moved = Math.min(remaining, surplus);
                target.merge(give, -moved, Integer::sum);
                remaining -= moved;
                reasons.put(
                        give,
                        String.format(
                                "role change: %d %s instance%s to %s, which grows (%s needs %d)",
                                moved, give, moved == 1 ? "" : "s", grow, give, needed.get(give)));
            }
        }
    }

    /** The pool may hold at most max-instances: trim batch first, then mixed. */
    private void clampTotal(Map<InstanceRole, Integer> target, Map<InstanceRole, String> reasons) {
        int excess =
                target.values().stream().mapToInt(Integer::intValue).sum() - config.maxInstances;
        for (InstanceRole r : TRIM_ORDER) {
            if (excess <= 0) {
                return;
            }
            int cut = Math.min(excess, target.get(r));
            target.merge(r, -cut, Integer::sum);
            excess -= cut;
            String before = reasons.get(r);
            reasons.put(
                    r,
                    (before == null ? "" : before + "; ")
                            + "capped by max-instances "
                            + config.maxInstances);
        }
    }

    private static boolean seesNoInstance(PoolSignal p) {
        return p.getInstancesInteractive()
                        + p.getInstancesMixed()
                        + p.getInstancesBatch()
                        + p.getProvisioningInteractive()
                        + p.getProvisioningMixed()
                        + p.getProvisioningBatch()
                        + p.getStaleInstances()
                == 0;
    }

    static boolean cooledDown(ChironConfig config, PoolState state, long now) {
        return now - state.lastActionMs >= config.scaleInCooldown.toMillis();
    }

    /** The instances per role the window shows: running and starting. */
    public static RoleCounts observed(PoolSignal p) {
        return RoleCounts.of(
                p.getInstancesInteractive() + p.getProvisioningInteractive(),
                p.getInstancesMixed() + p.getProvisioningMixed(),
                p.getInstancesBatch() + p.getProvisioningBatch());
    }

    /** Instances per role as the telemetry shows them, or as decided while that is in flight. */
    private RoleCounts current(PoolSignal p, PoolState state, long now) {
        RoleCounts observed = observed(p);
        for (InstanceRole r : InstanceRole.values()) {
            int last = state.lastTarget(r);
            // Asked for, not yet visible: until it can have cold-started (a pod that has no
            // telemetry before it runs shows only then), plus a period for the window to see it.
            boolean inFlight =
                    last >= 0
                            && now - state.lastTargetAt(r)
                                    < config.coldStart.toMillis() + config.globalPeriod.toMillis();
            if (inFlight && observed.get(r) != last) {
                observed = observed.with(r, last);
            }
        }
        return observed;
    }
}
