package io.chiron.actuator.backend;

import io.chiron.records.FleetCommand;

/** Where commands go: a Kafka topic, a Kubernetes scale subresource, an HTTP webhook. */
public interface CommandBackend extends AutoCloseable {
    /** Short name recorded in every ActuationResult. */
    String name();

    /** Delivers one command; throws when it cannot (the result is then FAILED with the reason). */
    void send(FleetCommand command) throws Exception;

    /** Blocks until everything sent so far is delivered. */
    void flush() throws Exception;
}
