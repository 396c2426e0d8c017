package io.chiron.records;

import org.apache.avro.specific.SpecificRecord;

/** The Kafka topics of the loop (DESIGN.md §3), each with the Avro record it carries. */
public enum Topic {
    REQUESTS("chiron.requests", RequestEvent.class, "request lifecycle events, key = instance id"),
    HEARTBEATS("chiron.heartbeats", InstanceHeartbeat.class, "instance state every second"),
    INSTANCE_SIGNALS("chiron.instance-signals", InstanceSignal.class, "per-instance windows"),
    POOL_SIGNALS("chiron.pool-signals", PoolSignal.class, "per-pool windows"),
    DECISIONS("chiron.decisions", ScalingDecision.class, "policy decisions with reasons"),
    COMMANDS("chiron.commands", FleetCommand.class, "commands to the fleet"),
    ACTUATIONS("chiron.actuations", ActuationResult.class, "what the actuator did"),
    DEAD_LETTERS("chiron.dead-letters", DeadLetter.class, "records the pipeline could not use");

    private final String defaultName;
    private final Class<? extends SpecificRecord> recordType;
    private final String description;

    Topic(String defaultName, Class<? extends SpecificRecord> recordType, String description) {
        this.defaultName = defaultName;
        this.recordType = recordType;
        this.description = description;
    }

    public String defaultName() {
        return defaultName;
    }

    public Class<? extends SpecificRecord> recordType() {
        return recordType;
    }

    public String description() {
        return description;
    }
}
