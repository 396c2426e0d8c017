package io.chiron.policy.baseline;

import io.chiron.policy.Decisions;
import io.chiron.policy.ScalingPolicy;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Static provisioning: the fleet it starts with, sized for the peak, and never a replica decision.
 * {@code static} keeps the fleet's B (vLLM's default); {@code static-tuned} sets every instance
 * once to a fixed B chosen from the profile, the best a static operator could configure.
 */
public final class StaticPolicy implements ScalingPolicy {
    private final String name;
    private final int batchSize;
    private final Set<String> set = new HashSet<>();

    /** Static provisioning at the fleet's own B. */
    public StaticPolicy() {
        this("static", 0);
    }

    /**
     * @param batchSize the B every instance runs, or 0 to keep the fleet's
     */
    public StaticPolicy(String name, int batchSize) {
        this.name = name;
        this.batchSize = batchSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ScalingDecision> decide(List<InstanceSignal> instances, PoolSignal pool) {
        if (batchSize <= 0) {
            return List.of();
        }
        List<ScalingDecision> out = new ArrayList<>();
        for (InstanceSignal s : instances) {
            if (s.getState() == InstanceState.RUNNING
                    && s.getBatchCap() != batchSize
                    && set.add(s.getInstanceId())) {
                out.add(
                        Decisions.batchSize(
                                name,
                                s.getModel(),
                                s.getInstanceId(),
                                pool.getWindowEndMs(),
                                batchSize,
                                s.getBatchCap(),
                                "static B " + batchSize + " from the profile",
                                Map.of()));
            }
        }
        return out;
    }
}
