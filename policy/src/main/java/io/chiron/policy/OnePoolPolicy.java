package io.chiron.policy;

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
    public int[] initialRoles(int total) {
        return new int[] {0, total, 0};
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        long now = pool.getWindowEndMs();
        int running = pool.getInstancesMixed();
        int total = running + pool.getProvisioningMixed();
        if (virtual.isEmpty()) {
            int[] split = ChironPolicy.roleSplit(Math.max(1, total));
            for (InstanceRole r : ROLES) {
                virtual.put(r, split[r.ordinal()]);
            }
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
                            Map.of("stale_instances", (double) pool.getStaleInstances())));
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
        int[] serving = new int[ROLES.length];
        int[] starting = new int[ROLES.length];
        int left = running;
        for (InstanceRole r : ROLES) {
            serving[r.ordinal()] = Math.min(left, virtual.get(r));
            starting[r.ordinal()] = virtual.get(r) - serving[r.ordinal()];
            left -= serving[r.ordinal()];
        }
        int i = InstanceRole.INTERACTIVE.ordinal();
        int m = InstanceRole.MIXED.ordinal();
        int b = InstanceRole.BATCH.ordinal();
        return PoolSignal.newBuilder(pool)
                .setInstancesInteractive(serving[i])
                .setInstancesMixed(serving[m])
                .setInstancesBatch(serving[b])
                .setProvisioningInteractive(starting[i])
                .setProvisioningMixed(starting[m])
                .setProvisioningBatch(starting[b])
                .setBatchCapInteractive(Math.round(serving[i] * meanCap))
                .setBatchCapMixed(Math.round(serving[m] * meanCap))
                .setBatchCapBatch(Math.round(serving[b] * meanCap))
                .build();
    }
}
