package io.chiron.policy;

import io.chiron.core.DecisionInputs;
import io.chiron.core.RoleCounts;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one-pool ablation of Chiron: no roles. Every instance is MIXED, serving both classes (batch
 * work preempted by interactive arrivals); Chiron's global rules still size the fleet, on virtual
 * role counts that partition the one pool, and the pool's size is their sum. Shows what the role
 * split buys.
 */
public final class OnePoolPolicy implements ScalingPolicy {
    private static final InstanceRole[] ROLES = InstanceRole.values();

    private final String name;
    private final ScalingPolicy chiron;
    private final long settleMs;
    private final Map<InstanceRole, Integer> virtual = new EnumMap<>(InstanceRole.class);
    private long lastDecisionMs = Long.MIN_VALUE;

    /**
     * @param chiron Chiron's policy, deciding on the virtual roles
     * @param settleMs how long a decided size counts as current before the telemetry must show it
     */
    public OnePoolPolicy(String name, ScalingPolicy chiron, long settleMs) {
        this.name = name;
        this.chiron = chiron;
        this.settleMs = settleMs;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RoleCounts initialRoles(int total) {
        return RoleCounts.mixed(total);
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        long now = pool.getWindowEndMs();
        int running = pool.getInstancesMixed();
        int total = running + pool.getProvisioningMixed();
        if (virtual.isEmpty()) {
            virtual.putAll(ChironPolicy.roleSplit(Math.max(1, total)).toMap());
        }
        if (lastDecisionMs == Long.MIN_VALUE || now - lastDecisionMs >= settleMs) {
            reconcile(total);
        }
        List<ScalingDecision> out = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ScalingDecision d : chiron.decide(instances, virtualPool(pool, running))) {
            if (d.getAction() == DecisionAction.SET_REPLICAS) {
                virtual.put(d.getRole(), d.getTarget());
                reasons.add(d.getRole() + " " + d.getTarget() + ": " + d.getReason());
            } else {
                out.add(d);
            }
        }
        int target = sum();
        if (!reasons.isEmpty() && target != total) {
            out.add(
                    Decisions.replicas(
                            name,
                            pool.getModel(),
                            InstanceRole.MIXED,
                            now,
                            target,
                            total,
                            "one pool sized as Chiron's roles together: "
                                    + String.join("; ", reasons),
                            Map.of(
                                    DecisionInputs.STALE_INSTANCES,
                                    (double) pool.getStaleInstances())));
            lastDecisionMs = now;
        }
        return out;
    }

    private int sum() {
        return virtual.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Makes the virtual roles add up to the pool's size: grows MIXED, shrinks BATCH first. */
    private void reconcile(int total) {
        int diff = total - sum();
        if (diff > 0) {
            virtual.merge(InstanceRole.MIXED, diff, Integer::sum);
        }
        for (InstanceRole r :
                new InstanceRole[] {
                    InstanceRole.BATCH, InstanceRole.MIXED, InstanceRole.INTERACTIVE
                }) {
            int cut = Math.min(virtual.get(r), sum() - total);
            if (cut > 0) {
                virtual.merge(r, -cut, Integer::sum);
            }
        }
    }

    /** The pool with its instances dealt to the virtual roles, running ones first. */
    private PoolSignal virtualPool(PoolSignal pool, int running) {
        double meanCap = running == 0 ? 0 : (double) pool.getBatchCapMixed() / running;
        Map<InstanceRole, Integer> serving = new EnumMap<>(InstanceRole.class);
        Map<InstanceRole, Integer> starting = new EnumMap<>(InstanceRole.class);
        int left = running;
        for (InstanceRole r : ROLES) {
            serving.put(r, Math.min(left, virtual.get(r)));
            starting.put(r, virtual.get(r) - serving.get(r));
            left -= serving.get(r);
        }
        RoleCounts on = RoleCounts.of(serving);
        RoleCounts coming = RoleCounts.of(starting);
        return PoolSignal.newBuilder(pool)
                .setInstancesInteractive(on.interactive())
                .setInstancesMixed(on.mixed())
                .setInstancesBatch(on.batch())
                .setProvisioningInteractive(coming.interactive())
                .setProvisioningMixed(coming.mixed())
                .setProvisioningBatch(coming.batch())
                .setBatchCapInteractive(Math.round(on.interactive() * meanCap))
                .setBatchCapMixed(Math.round(on.mixed() * meanCap))
                .setBatchCapBatch(Math.round(on.batch() * meanCap))
                .build();
    }
}
