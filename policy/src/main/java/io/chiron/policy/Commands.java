package io.chiron.policy;

import io.chiron.records.CommandType;
import io.chiron.records.DecisionAction;
import io.chiron.records.FleetCommand;
import io.chiron.records.ScalingDecision;

/** Turns a decision into the target-state command that carries it out. */
public final class Commands {
    private Commands() {}

    public static FleetCommand of(ScalingDecision d, int value) {
        boolean batch = d.getAction() == DecisionAction.SET_BATCH_SIZE;
        return FleetCommand.newBuilder()
                .setCommandId(d.getDecisionId() + "/cmd")
                .setDecisionId(d.getDecisionId())
                .setTsMs(d.getTsMs())
                .setModel(d.getModel())
                .setType(batch ? CommandType.SET_BATCH_SIZE : CommandType.SET_REPLICAS)
                .setInstanceId(batch ? d.getInstanceId() : null)
                .setRole(batch ? null : d.getRole())
                .setValue(value)
                .build();
    }
}
