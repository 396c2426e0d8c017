package io.chiron.fleet.sim;

/** Ground truth of a run, counted by the simulator itself (not from telemetry). */
public final class FleetStats {
    public long arrivedInteractive;
    public long arrivedBatch;
    public long finishedInteractive;
    public long finishedBatch;
    public long metInteractive;
    public long metBatch;
    public long droppedInteractive;
    public long droppedBatch;

    /** Requests whose bounds can be met at all, alone on an idle instance (see ServiceBounds). */
    public long feasibleInteractive;

    public long feasibleBatch;

    public long outputTokens;
    public long metOutputTokens;

    /**
     * Batch work swapped out for interactive work, and recompute preemptions on a full KV cache.
     */
    public long preemptions;

    /** Requests sent back to the queue by a drain or a crash. */
    public long requeued;

    public long batchSizeChanges;
    public long instancesAdded;
    public long instancesRemoved;
    public long roleChanges;
    public long commandsIgnored;
    public long crashes;

    /** GPU time of stopped instances, ms; {@link Fleet#gpuMs()} adds the live ones. */
    double gpuMs;

    void arrived(boolean interactive, boolean feasible) {
        if (interactive) {
            arrivedInteractive++;
            feasibleInteractive += feasible ? 1 : 0;
        } else {
            arrivedBatch++;
            feasibleBatch += feasible ? 1 : 0;
        }
    }

    /**
     * Finished requests that broke their first bound (interactive: TTFT; batch: the deadline) and
     * their mean-ITL bound; a request may break both, so these overlap.
     */
    public long lateFirstBoundInteractive;

    public long lateItlInteractive;
    public long lateFirstBoundBatch;
    public long lateItlBatch;

    /**
     * @param firstBound whether the TTFT (interactive) or the deadline (batch) held
     * @param itlBound whether the mean ITL bound held
     */
    void finished(boolean interactive, boolean firstBound, boolean itlBound, int output) {
        boolean met = firstBound && itlBound;
        if (interactive) {
            finishedInteractive++;
            metInteractive += met ? 1 : 0;
            lateFirstBoundInteractive += firstBound ? 0 : 1;
            lateItlInteractive += itlBound ? 0 : 1;
        } else {
            finishedBatch++;
            metBatch += met ? 1 : 0;
            lateFirstBoundBatch += firstBound ? 0 : 1;
            lateItlBatch += itlBound ? 0 : 1;
        }
        if (met) {
            metOutputTokens += output;
        }
    }

    void dropped(boolean interactive) {
        if (interactive) {
            droppedInteractive++;
        } else {
            droppedBatch++;
        }
    }

    /** Replica changes: instances added, removed, and role changes. */
    public long scalingActions() {
        return instancesAdded + instancesRemoved + roleChanges;
    }

    /** Met over decided (finished or dropped); NaN when nothing is decided yet. */
    public double interactiveAttainment() {
        long decided = finishedInteractive + droppedInteractive;
        return decided == 0 ? Double.NaN : (double) metInteractive / decided;
    }

    public double batchAttainment() {
        long decided = finishedBatch + droppedBatch;
        return decided == 0 ? Double.NaN : (double) metBatch / decided;
    }
}
