package io.chiron.policy;

import io.chiron.core.RoleCounts;
import io.chiron.policy.global.ForecastBacktest;
import io.chiron.policy.global.GlobalAutoscaler;
import io.chiron.policy.global.PoolState;
import io.chiron.policy.local.LocalAutoscaler;
import io.chiron.policy.local.LocalState;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chiron's local and global autoscalers behind {@link ScalingPolicy}, with their state in maps: the
 * same classes the Flink job runs with its state in keyed state.
 */
public final class ChironPolicy implements ScalingPolicy {
    private final String name;
    private final ChironConfig config;
    private final LocalAutoscaler local;
    private final GlobalAutoscaler global;
    private final Map<String, LocalState> locals = new HashMap<>();
    private final Map<String, PoolState> pools = new HashMap<>();

    /** The interactive demand of each look, for {@link #interactiveDemandSeries}. */
    private final List<Double> demand = new ArrayList<>();

    public ChironPolicy(ChironConfig config, LatencyModel model) {
        this("chiron", config, model, true);
    }

    /**
     * @param name the name its decisions carry
     * @param localAutoscaler false for the fixed-B ablation: the instances keep the B they start
     *     with
     */
    public ChironPolicy(
            String name, ChironConfig config, LatencyModel model, boolean localAutoscaler) {
        this.name = name;
        this.config = config;
        this.local = localAutoscaler ? new LocalAutoscaler(config, model, name) : null;
        this.global = new GlobalAutoscaler(config, model, name, config.localPeriod.toMillis());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        List<ScalingDecision> decisions = new ArrayList<>();
        for (InstanceSignal s : instances) {
            if (s.getState() == InstanceState.STOPPED) {
                locals.remove(s.getInstanceId());
                continue;
            }
            if (local == null) {
                continue;
            }
            local.decide(s, locals.computeIfAbsent(s.getInstanceId(), id -> new LocalState()))
                    .ifPresent(decisions::add);
        }
        // In the order the rules put them: the decisions carry this map as their inputs.
        Map<String, Double> looked = new LinkedHashMap<>();
        decisions.addAll(
                global.onPoolSignal(
                        pool,
                        pools.computeIfAbsent(pool.getModel(), m -> new PoolState()),
                        looked));
        Double d = looked.get(GlobalAutoscaler.INTERACTIVE_DEMAND);
        if (d != null) {
            demand.add(d);
        }
        return decisions;
    }

    /**
     * The interactive demand its global autoscaler saw at each look (one a period, a 15 s step
     * each), oldest first, in instance-seconds per second: the series {@link
     * io.chiron.policy.global.ForecastBacktest} judges the forecasters on. A simulation serves one
     * model.
     */
    public double[] interactiveDemandSeries() {
        return demand.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The forecasters judged on this run's demand series at the policy's horizon, the cold start
     * plus a period in whole 15 s steps; empty for a run too short to judge.
     */
    public Map<String, ForecastBacktest.Errors> forecastBacktest() {
        return ForecastBacktest.run(
                interactiveDemandSeries(), ForecastBacktest.horizonSteps(config), config);
    }

    /** How far ahead the interactive forecast looks: a cold start plus a period, whole steps. */
    public Duration forecastHorizon() {
        return ForecastBacktest.stepsToDuration(ForecastBacktest.horizonSteps(config));
    }

    /** Most instances serve interactive traffic; a fifth are mixed headroom, the rest batch. */
    @Override
    public RoleCounts initialRoles(int total) {
        return roleSplit(total);
    }

    @Override
    public RoleCounts initialRoles(RoleCounts need) {
        return roleSplit(need);
    }

    /**
     * Chiron's split of a starting fleet sized per class: one MIXED instance (the burst reserve,
     * which takes batch work while no burst is on) counted among the interactive ones, the rest of
     * the interactive need INTERACTIVE, the batch need BATCH; a fleet of one is one MIXED instance.
     * The total is {@code need}'s. Splitting the total 60/20/20 instead started an interactive-only
     * load at 20x with a BATCH instance that serves none of it and one interactive instance short.
     */
    public static RoleCounts roleSplit(RoleCounts need) {
        int total = need.total();
        if (total <= 1) {
            return roleSplit(total);
        }
        int interactive = Math.max(0, need.interactive() + need.mixed() - 1);
        return RoleCounts.of(interactive, 1, total - 1 - interactive);
    }

    /**
     * Chiron's split of a starting fleet: 60 % interactive, 20 % mixed, the rest batch; a fleet of
     * one is one MIXED instance, which serves both classes.
     */
    public static RoleCounts roleSplit(int total) {
        if (total <= 1) {
            return RoleCounts.of(0, Math.max(0, total), 0);
        }
        int mixed = Math.max(1, Math.round(total * 0.2f));
        int interactive = Math.max(1, Math.round(total * 0.6f));
        return RoleCounts.of(interactive, mixed, Math.max(0, total - interactive - mixed));
    }
}
