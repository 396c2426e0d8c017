package io.chiron.policy.baseline;

import io.chiron.policy.ScalingPolicy;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.List;

/** Static provisioning: the fleet it starts with, sized for the peak, and never a decision. */
public final class StaticPolicy implements ScalingPolicy {
    @Override
    public String name() {
        return "static";
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        return List.of();
    }
}
