package io.chiron.actuator.backend;

import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;

/** Commands for backend tests. */
final class Commands {
    private Commands() {}

    static FleetCommand replicas(String id, InstanceRole role, int value) {
        return FleetCommand.newBuilder()
                .setCommandId(id)
                .setDecisionId(id)
                .setTsMs(1_700_000_000_000L)
                .setModel("llama3-8b")
                .setType(CommandType.SET_REPLICAS)
                .setInstanceId(null)
                .setRole(role)
                .setValue(value)
                .build();
    }

    static FleetCommand batchSize(String id, String instance, int value) {
        return FleetCommand.newBuilder(replicas(id, null, value))
                .setType(CommandType.SET_BATCH_SIZE)
                .setInstanceId(instance)
                .setRole(null)
                .build();
    }
}
