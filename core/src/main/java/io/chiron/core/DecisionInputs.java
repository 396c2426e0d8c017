package io.chiron.core;

/**
 * Keys of a decision's inputs that more than their maker reads: the safety guard relies on them, so
 * every policy that scales in must fill them.
 */
public final class DecisionInputs {
    private DecisionInputs() {}

    /**
     * Instances of the pool whose telemetry is missing or late; the guard holds scale-ins on it.
     */
    public static final String STALE_INSTANCES = "stale_instances";
}
