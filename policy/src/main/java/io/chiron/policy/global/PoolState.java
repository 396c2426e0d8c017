package io.chiron.policy.global;

import io.chiron.records.InstanceRole;

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

    /**
     * Last target per role, indexed by {@link #slot}; -1 before the first. Arrays, not a map, so
     * that Flink serializes the state as a POJO; read and written through the role methods below.
     */
    public int[] lastTarget = {-1, -1, -1};

    /** When each last target was set, epoch ms, indexed by {@link #slot}. */
    public long[] lastTargetAtMs = new long[3];

    /** Interactive arrivals per window, a ring of the most recent windows. */
    public long[] arrivals = new long[0];

    /** Their prompt tokens, the same ring. */
    public long[] arrivalPrompt = new long[0];

    /** Next slot of the ring. */
    public int arrivalCursor;

    /** Windows recorded so far (saturates at the ring size). */
    public int arrivalWindows;

    /** The season the arrays below are for, ms; 0 before the first record (see {@link Season}). */
    public long seasonMs;

    /** Per bucket of the season: the peak interactive demand of a 15 s step in its last pass. */
    public double[] seasonPeak = new double[0];

    /** Per bucket: the pass before that, if it was the season just before; NaN if not. */
    public double[] seasonBefore = new double[0];

    /** Per bucket: the season (epoch ms / season) of its last pass. */
    public long[] seasonIndex = new long[0];

    public PoolState() {}

    /** The last target decided for a role, -1 before the first. */
    public int lastTarget(InstanceRole role) {
        return lastTarget[slot(role)];
    }

    /** When it was decided, epoch ms. */
    public long lastTargetAt(InstanceRole role) {
        return lastTargetAtMs[slot(role)];
    }

    public void recordTarget(InstanceRole role, int target, long atMs) {
        lastTarget[slot(role)] = target;
        lastTargetAtMs[slot(role)] = atMs;
    }

    /**
     * A role's slot in the arrays: spelled out, so that reordering the enum does not move state a
     * savepoint holds.
     */
    static int slot(InstanceRole role) {
        return switch (role) {
            case INTERACTIVE -> 0;
            case MIXED -> 1;
            case BATCH -> 2;
        };
    }
}
