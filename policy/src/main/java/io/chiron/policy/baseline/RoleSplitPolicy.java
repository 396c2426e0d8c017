package io.chiron.policy.baseline;

import io.chiron.core.RoleCounts;
import io.chiron.policy.ChironPolicy;
import io.chiron.policy.ScalingPolicy;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;
import io.chiron.records.ScalingDecision;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A baseline on Chiron's role-split pools: the same fleet split (INTERACTIVE, MIXED, BATCH, as
 * {@link #initialRoles} gives Chiron), the baseline's own rule scaling the INTERACTIVE pool on
 * interactive load and the BATCH pool on batch load, each seeing only its own instances and its own
 * class's queue; the MIXED headroom stays at its starting size. This separates what Chiron's rules
 * buy from what splitting the fleet by role buys.
 */
public final class RoleSplitPolicy implements ScalingPolicy {
    private final String name;
    private final ReplicaPolicy interactive;
    private final ReplicaPolicy batch;

    /**
     * @param rule makes one instance of the baseline's rule (called once per pool)
     */
    RoleSplitPolicy(String name, java.util.function.Supplier<ReplicaPolicy> rule) {
        this.name = name;
        this.interactive = rule.get().asPool(name, InstanceRole.INTERACTIVE);
        this.batch = rule.get().asPool(name, InstanceRole.BATCH);
    }

    /** The role-split variant of a baseline made by {@code rule}. */
    public static RoleSplitPolicy of(java.util.function.Supplier<ScalingPolicy> rule) {
        ScalingPolicy probe = rule.get();
        if (!(probe instanceof ReplicaPolicy)) {
            throw new IllegalArgumentException(probe.name() + " has no replica rule to split");
        }
        return new RoleSplitPolicy(probe.name() + "-pools", () -> (ReplicaPolicy) rule.get());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        List<ScalingDecision> out = new ArrayList<>();
        out.addAll(interactive.decide(only(instances, InstanceRole.INTERACTIVE), view(pool, true)));
        out.addAll(batch.decide(only(instances, InstanceRole.BATCH), view(pool, false)));
        return out;
    }

    /**
     * The same split of a starting fleet as Chiron's: 60 % interactive, 20 % mixed, the rest batch.
     */
    @Override
    public RoleCounts initialRoles(int total) {
        return ChironPolicy.roleSplit(total);
    }

    /** The same split of a starting fleet sized per class as Chiron's. */
    @Override
    public RoleCounts initialRoles(RoleCounts need) {
        return ChironPolicy.roleSplit(need);
    }

    private static List<InstanceSignal> only(List<InstanceSignal> all, InstanceRole role) {
        return all.stream().filter(s -> s.getRole() == role).toList();
    }

    /** The pool as one role's rule sees it: its instances, its class's load. */
    static PoolSignal view(PoolSignal pool, boolean interactive) {
        PoolSignal.Builder b =
                PoolSignal.newBuilder(pool).setInstancesMixed(0).setProvisioningMixed(0);
        RequestClass keep = interactive ? RequestClass.INTERACTIVE : RequestClass.BATCH;
        Function<QueueGroup, Boolean> mine = g -> g.getRequestClass() == keep;
        b.setQueueGroups(pool.getQueueGroups().stream().filter(mine::apply).toList());
        if (interactive) {
            b.setInstancesBatch(0).setProvisioningBatch(0).setQueueBatch(0).setRunningBatch(0);
        } else {
            b.setInstancesInteractive(0)
                    .setProvisioningInteractive(0)
                    .setQueueInteractive(0)
                    .setRunningInteractive(0);
        }
        return b.build();
    }
}
