package io.chiron.policy;

import io.chiron.core.RoleCounts;
import io.chiron.policy.global.GlobalAutoscaler;
import io.chiron.policy.global.PoolState;
import io.chiron.policy.local.LocalAutoscaler;
import io.chiron.policy.local.LocalState;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chiron's local and global autoscalers behind {@link ScalingPolicy}, with their state in maps: the
 * same classes the Flink job runs with its state in keyed state.
 */
public final class ChironPolicy implements ScalingPolicy {
    private final String name;
    private final LocalAutoscaler local;
    private final GlobalAutoscaler global;
    private final Map<String, LocalState> locals = new HashMap<>();
    private final Map<String, PoolState> pools = new HashMap<>();

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
        decisions.addAll(
                global.onPoolSignal(
                        pool, pools.computeIfAbsent(pool.getModel(), m -> new PoolState())));
        return decisions;
    }

    /** Most instances serve interactive traffic; a fifth are mixed headroom, the rest batch. */
    @Override
    public RoleCounts initialRoles(int total) {
        return roleSplit(total);
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
