package io.chiron.fleet.report;

import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.FleetStats;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one policy's run (DESIGN.md §5, {@code policies.<name>} in summary.json), from the
 * simulator's own ground truth. Requests still open at the end whose SLO is already lost count as
 * misses; open requests that may still make it are left out.
 */
public record PolicyResult(
        Double interactiveSloAttainment,
        Double batchSloAttainment,
        double gpuHours,
        double outputTokensPerGpuHour,
        double throughputRps,
        double goodputRps,
        long scalingActions,
        long preemptions,
        long batchSizeChanges,
        long requestsArrived,
        long requestsFinished,
        long requestsDropped) {

    public static PolicyResult of(Fleet fleet) {
        FleetStats s = fleet.stats();
        long[] overdue = fleet.overdue();
        double seconds = Math.max(1e-9, fleet.now() / 1000);
        double gpuHours = fleet.gpuMs() / 3_600_000;
        return new PolicyResult(
                attainment(
                        s.metInteractive,
                        s.finishedInteractive + s.droppedInteractive + overdue[0]),
                attainment(s.metBatch, s.finishedBatch + s.droppedBatch + overdue[1]),
                gpuHours,
                gpuHours == 0 ? 0 : s.metOutputTokens / gpuHours,
                (s.finishedInteractive + s.finishedBatch) / seconds,
                (s.metInteractive + s.metBatch) / seconds,
                s.scalingActions(),
                s.preemptions,
                s.batchSizeChanges,
                s.arrivedInteractive + s.arrivedBatch,
                s.finishedInteractive + s.finishedBatch,
                s.droppedInteractive + s.droppedBatch);
    }

    /** Met over decided; null (not NaN, which JSON lacks) when nothing is decided. */
    private static Double attainment(long met, long decided) {
        return decided == 0 ? null : (double) met / decided;
    }

    /** The summary.json keys, in contract order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("interactive_slo_attainment", interactiveSloAttainment);
        m.put("batch_slo_attainment", batchSloAttainment);
        m.put("gpu_hours", gpuHours);
        m.put("output_tokens_per_gpu_hour", outputTokensPerGpuHour);
        m.put("throughput_rps", throughputRps);
        m.put("goodput_rps", goodputRps);
        m.put("scaling_actions", scalingActions);
        m.put("preemptions", preemptions);
        m.put("batch_size_changes", batchSizeChanges);
        m.put("requests_arrived", requestsArrived);
        m.put("requests_finished", requestsFinished);
        m.put("requests_dropped", requestsDropped);
        return m;
    }
}
