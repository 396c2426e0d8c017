package io.chiron.policy;

import io.chiron.core.RoleCounts;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.List;

/**
 * A scaling policy: Chiron or a baseline. It sees what the telemetry job computes, one window at a
 * time: the signal of every instance that reported in the window, then the pool's signal; it
 * answers with decisions (target states). Implementations keep their own state between windows and
 * are not thread-safe.
 */
public interface ScalingPolicy {
    /** The name recorded in decisions and summaries: chiron, hpa, static, ... */
    String name();

    /** Decisions for one closed window. */
    List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool);

    /**
     * The instances a fleet should start with for this policy, per role, given a total. Policies
     * without roles run a homogeneous MIXED fleet.
     */
    default RoleCounts initialRoles(int total) {
        return RoleCounts.mixed(total);
    }

    /**
     * The instances a fleet should start with, given what the load's first minutes need per class:
     * {@code need}'s INTERACTIVE and MIXED count for the interactive load, its BATCH for the batch
     * load. Policies that do not split the fleet by class take the total ({@link
     * #initialRoles(int)}).
     */
    default RoleCounts initialRoles(RoleCounts need) {
        return initialRoles(need.total());
    }
}
