package io.chiron.actuator.backend;

import io.chiron.records.FleetCommand;

/** Where commands go: a Kubernetes scale subresource, an HTTP webhook. */
public interface CommandBackend extends AutoCloseable {
    /** Short name recorded in every ActuationResult. */
    String name();

    /**
     * Applies one command (a target state, so applying it twice is harmless) and says what
     * happened; throws when it cannot (the result is then FAILED with the reason).
     */
    String apply(FleetCommand command) throws Exception;
}
