package io.chiron.fleet.report;

import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
import io.chiron.guard.GuardConfig;
import io.chiron.policy.reference.ServiceBounds;

/** The references a run is judged against, for a fleet's settings and a workload. */
public final class Bounds {
    private Bounds() {}

    /** What the latency model allows one request: the guard's largest B bounds the engine's. */
    public static ServiceBounds of(SimConfig sim) {
        return new ServiceBounds(
                sim.latency,
                sim.kvCapacityTokens(),
                GuardConfig.defaults().maxBatchSize,
                sim.chunkTokens);
    }

    /** The GPU-hour lower bound of a workload on a fleet ({@link ServiceBounds} says how). */
    public static double lowerBoundGpuHours(SimConfig sim, Workload workload) {
        return of(sim).lowerBoundGpuHours(workload.load(), sim.interactiveItlMs, sim.batchItlMs);
    }
}
