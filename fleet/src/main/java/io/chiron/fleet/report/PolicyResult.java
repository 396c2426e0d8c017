package io.chiron.fleet.report;

import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.FleetStats;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of one policy's run (DESIGN.md §5, {@code policies.<name>} in summary.json), from the
 * simulator's own ground truth. Every arrived request is accounted for ({@link ClassOutcome});
 * attainment is met over arrived. GPU-hours run from the start to the end of the run: the moment
 * the last request finished, or the horizon. Throughput and goodput are per second of the arrival
 * window, the same for every policy.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
    "interactive_slo_attainment",
    "batch_slo_attainment",
    "gpu_hours",
    "output_tokens_per_gpu_hour",
    "throughput_rps",
    "goodput_rps",
    "scaling_actions",
    "preemptions",
    "guard_rejections",
    "batch_size_changes",
    "end_seconds",
    "classes"
})
public record PolicyResult(
        Double interactiveSloAttainment,
        Double batchSloAttainment,
        double gpuHours,
        double outputTokensPerGpuHour,
        double throughputRps,
        double goodputRps,
        long scalingActions,
        long preemptions,
        long guardRejections,
        long batchSizeChanges,
        double endSeconds,
        Map<String, ClassOutcome> classes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param arrivalSeconds the arrival window (--duration), the denominator of the rates
     */
    public static PolicyResult of(Fleet fleet, long guardRejections, double arrivalSeconds) {
        FleetStats s = fleet.stats();
        ClassOutcome interactive =
                ClassOutcome.of(
                        s.arrivedInteractive,
                        s.finishedInteractive,
                        s.metInteractive,
                        s.droppedInteractive,
                        s.feasibleInteractive,
                        s.lateFirstBoundInteractive,
                        s.lateItlInteractive);
        ClassOutcome batch =
                ClassOutcome.of(
                        s.arrivedBatch,
                        s.finishedBatch,
                        s.metBatch,
                        s.droppedBatch,
                        s.feasibleBatch,
                        s.lateFirstBoundBatch,
                        s.lateItlBatch);
        double gpuHours = fleet.gpuMs() / 3_600_000;
        double seconds = Math.max(1e-9, arrivalSeconds);
        Map<String, ClassOutcome> classes = new LinkedHashMap<>();
        classes.put("interactive", interactive);
        classes.put("batch", batch);
        return new PolicyResult(
                interactive.attainment(),
                batch.attainment(),
                gpuHours,
                gpuHours == 0 ? 0 : s.metOutputTokens / gpuHours,
                (s.finishedInteractive + s.finishedBatch) / seconds,
                (s.metInteractive + s.metBatch) / seconds,
                s.scalingActions(),
                s.preemptions,
                guardRejections,
                s.batchSizeChanges,
                fleet.now() / 1000,
                classes);
    }

    public ClassOutcome interactive() {
        return classes.get("interactive");
    }

    public ClassOutcome batch() {
        return classes.get("batch");
    }

    @JsonProperty("requests_arrived")
    public long requestsArrived() {
        return interactive().arrived() + batch().arrived();
    }

    @JsonProperty("requests_finished")
    public long requestsFinished() {
        return interactive().met()
                + interactive().missedLate()
                + batch().met()
                + batch().missedLate();
    }

    @JsonProperty("requests_dropped")
    public long requestsDropped() {
        return interactive().missedDropped() + batch().missedDropped();
    }

    @JsonProperty("requests_unfinished")
    public long requestsUnfinished() {
        return interactive().missedUnfinished() + batch().missedUnfinished();
    }

    /** The summary.json object, as Jackson writes this record; callers may add keys. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toJson() {
        return JSON.convertValue(this, LinkedHashMap.class);
    }
}
