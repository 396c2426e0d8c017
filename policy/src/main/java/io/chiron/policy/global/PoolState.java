package io.chiron.policy.global;

/**
 * What the global autoscaler remembers about one pool between periods. A Flink POJO (public fields,
 * no-arg constructor), kept in keyed state by the autoscaler job.
 */
public class PoolState {
    /** When the policy last ran, epoch ms; 0 before the first run. */
    public long lastRunMs;

    /** Consecutive periods with interactive backpressure above 1. */
    public int highPeriods;

    /** Since when interactive backpressure has stayed below the scale-in bound; 0 when not. */
    public long lowSinceMs;

    /** Interactive requests queued at the last run. */
    public long lastQueueInteractive;

    /** Last scaling action in this pool, epoch ms. */
    public long lastActionMs;

    /** Last target per role (INTERACTIVE, MIXED, BATCH); -1 before the first. */
    public int[] lastTarget = {-1, -1, -1};

    /** When each last target was set, epoch ms. */
    public long[] lastTargetAtMs = new long[3];

    /** Interactive arrivals per window, a ring of the most recent windows. */
    public long[] arrivals = new long[0];

    /** Their prompt tokens, the same ring. */
    public long[] arrivalPrompt = new long[0];

    /** Next slot of the ring. */
    public int arrivalCursor;

    /** Windows recorded so far (saturates at the ring size). */
    public int arrivalWindows;

    public PoolState() {}
}
