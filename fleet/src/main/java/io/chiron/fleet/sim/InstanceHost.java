package io.chiron.fleet.sim;

/**
 * What an {@link Instance} needs from the fleet it runs in: the narrow seam between one engine and
 * the global queue, the scheduler and the books. The fleet implements it; an instance holds nothing
 * else of the fleet's.
 */
interface InstanceHost {
    /** The instance has nothing to run (or, with false, starts running again). */
    void markIdle(Instance i, boolean idle);

    /** The instance's next event is due at its {@code nextEventMs}. */
    void schedule(Instance i);

    /** Output tokens generated, for the run's ground truth. */
    void countOutputTokens(long tokens);

    /** A running request leaves the instance for the global queue. */
    void requeue(Request r, Instance from, double at, Fleet.Requeue why);

    /** Admits queued work into the instance at an iteration boundary. */
    void fill(Instance i, double at);

    /** The instance's free slots changed (its load, B, role or state). */
    void refreshFree(Instance i);

    /** The instance stops (drained). */
    void stop(Instance i, double at);

    /** A request finished on the instance. */
    void finished(Request r, Instance on, double at);
}
