package io.chiron.policy.baseline;

import io.chiron.core.DecisionInputs;
import io.chiron.policy.Decisions;
import io.chiron.policy.ScalingPolicy;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.List;
import java.util.Map;

/**
 * The shape the baselines share: one replica count of one role decided every {@code period}, within
 * [min, max]; by default a homogeneous fleet of MIXED instances (no roles), or one pool of {@link
 * RoleSplitPolicy}. Until the telemetry shows the last decision's effect (at most two periods), its
 * target counts as current.
 */
abstract class ReplicaPolicy implements ScalingPolicy {
    private String name;
    private InstanceRole role = InstanceRole.MIXED;
    private final long periodMs;
    protected final int minInstances;
    protected final int maxInstances;
    private long lastRunMs;
    private int lastTarget = -1;
    private long lastTargetMs;

    ReplicaPolicy(String name, long periodMs, int minInstances, int maxInstances) {
        this.name = name;
        this.periodMs = periodMs;
        this.minInstances = minInstances;
        this.maxInstances = maxInstances;
    }

    @Override
    public final String name() {
        return name;
    }

    /** Scales {@code role} under {@code name} instead: one pool of a role-split fleet. */
    final ReplicaPolicy asPool(String name, InstanceRole role) {
        this.name = name;
        this.role = role;
        return this;
    }

    final InstanceRole role() {
        return role;
    }

    /** What one run of the policy wants: a target count and why. */
    record Want(int target, String reason, Map<String, Double> inputs) {}

    /** Called for every window; returns the wanted count when it is time to decide, else null. */
    abstract Want evaluate(
            List<InstanceSignal> running, PoolSignal pool, int current, long now, boolean due);

    @Override
    public final List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        long now = pool.getWindowEndMs();
        boolean due = lastRunMs == 0 || now - lastRunMs >= periodMs;
        int observed =
                pool.getInstancesInteractive()
                        + pool.getInstancesMixed()
                        + pool.getInstancesBatch()
                        + pool.getProvisioningInteractive()
                        + pool.getProvisioningMixed()
                        + pool.getProvisioningBatch();
        int current = lastTarget >= 0 && now - lastTargetMs < 2 * periodMs ? lastTarget : observed;
        List<InstanceSignal> running =
                instances.stream().filter(s -> s.getState() == InstanceState.RUNNING).toList();
        Want want = evaluate(running, pool, current, now, due);
        if (!due) {
            return List.of();
        }
        lastRunMs = now;
        if (want == null) {
            return List.of();
        }
        int target = Math.max(minInstances, Math.min(maxInstances, want.target()));
        // Missing telemetry means hold, not scale in.
        if (target < current && pool.getStaleInstances() > 0) {
            return List.of();
        }
        if (target == current) {
            return List.of();
        }
        lastTarget = target;
        lastTargetMs = now;
        Map<String, Double> inputs = new java.util.LinkedHashMap<>(want.inputs());
        inputs.put(DecisionInputs.STALE_INSTANCES, (double) pool.getStaleInstances());
        return List.of(
                Decisions.replicas(
                        name, pool.getModel(), role, now, target, current, want.reason(), inputs));
    }
}
