package io.chiron.guard;

/**
 * What the guard remembers about one pool: decisions already handled, the last action on each
 * target, and recent action times. In memory for tests and the simulator; in Flink keyed state in
 * the job, so it survives a restart with the checkpoint.
 */
public interface GuardMemory {
    /** Whether a decision id was handled already. */
    boolean handled(String decisionId) throws Exception;

    void markHandled(String decisionId, long tsMs) throws Exception;

    /** The last applied action on a target, or null. */
    TargetAction lastAction(String target) throws Exception;

    void recordAction(String target, TargetAction action) throws Exception;

    /** Replica actions of the pool at or after {@code sinceMs}, event time. */
    int actionsSince(long sinceMs) throws Exception;

    void recordActionTime(long tsMs) throws Exception;

    /**
     * Forgets handled decisions, last actions and action times older than {@code beforeMs}, event
     * time, and remembers {@code beforeMs} as {@link #forgottenBefore()}.
     */
    void forget(long beforeMs) throws Exception;

    /** The {@code beforeMs} of the last {@link #forget}, 0 before the first. */
    long forgottenBefore() throws Exception;
}
