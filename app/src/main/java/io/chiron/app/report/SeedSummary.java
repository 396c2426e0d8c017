package io.chiron.app.report;

import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.report.PolicyResult;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One policy over several seeds: the mean of every metric, the per-class counts summed (so arrived
 * = met + the misses still holds), and the worst seed of each headline metric (lowest attainment,
 * most GPU-hours, highest GPU-hours over the bound).
 */
public final class SeedSummary {
    /** One seed's result with the lower bound of that seed's workload. */
    public record Run(long seed, PolicyResult result, double lowerBoundGpuHours) {
        public double overBound() {
            return result.gpuHours() / lowerBoundGpuHours;
        }
    }

    /** The seed at which a metric was worst, and its value there. */
    public record Worst(long seed, double value) {}

    private SeedSummary() {}

    /** One policy over the seeds, as summary.json holds it under {@code policies.<name>}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Aggregate(
            Double interactiveSloAttainment,
            Double batchSloAttainment,
            double gpuHours,
            double gpuHoursOverBound,
            double outputTokensPerGpuHour,
            double throughputRps,
            double goodputRps,
            double scalingActions,
            double preemptions,
            double guardRejections,
            double batchSizeChanges,
            double endSeconds,
            Map<String, ClassOutcome> classes,
            // Only over several seeds; attainments stay even when null (the contract's keys).
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Worst> worstSeed,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Map<String, Object>> perSeed) {}

    /** The mean of every metric over {@code runs} (one per seed), counts summed, worst seeds. */
    public static Aggregate of(List<Run> runs) {
        Map<String, ClassOutcome> classes = new LinkedHashMap<>();
        for (Run r : runs) {
            r.result().classes().forEach((c, o) -> classes.merge(c, o, ClassOutcome::plus));
        }
        Map<String, Worst> worst = null;
        Map<String, Map<String, Object>> perSeed = null;
        if (runs.size() > 1) {
            worst = new LinkedHashMap<>();
            put(
                    worst,
                    "interactive_slo_attainment",
                    lowest(runs, r -> r.result().interactiveSloAttainment()));
            put(worst, "batch_slo_attainment", lowest(runs, r -> r.result().batchSloAttainment()));
            put(worst, "gpu_hours", highest(runs, r -> r.result().gpuHours()));
            put(worst, "gpu_hours_over_bound", highest(runs, Run::overBound));
            perSeed = new LinkedHashMap<>();
            for (Run r : runs) {
                Map<String, Object> m = r.result().toJson();
                m.put("gpu_hours_lower_bound", r.lowerBoundGpuHours());
                m.put("gpu_hours_over_bound", r.overBound());
                perSeed.put(String.valueOf(r.seed()), m);
            }
        }
        return new Aggregate(
                mean(runs, r -> r.result().interactiveSloAttainment()),
                mean(runs, r -> r.result().batchSloAttainment()),
                mean(runs, r -> r.result().gpuHours()),
                mean(runs, Run::overBound),
                mean(runs, r -> r.result().outputTokensPerGpuHour()),
                mean(runs, r -> r.result().throughputRps()),
                mean(runs, r -> r.result().goodputRps()),
                mean(runs, r -> (double) r.result().scalingActions()),
                mean(runs, r -> (double) r.result().preemptions()),
                mean(runs, r -> (double) r.result().guardRejections()),
                mean(runs, r -> (double) r.result().batchSizeChanges()),
                mean(runs, r -> r.result().endSeconds()),
                classes,
                worst,
                perSeed);
    }

    private static void put(Map<String, Worst> worst, String key, Worst w) {
        if (w != null) {
            worst.put(key, w);
        }
    }

    /** Mean over the seeds where the metric exists; null where it exists for none. */
    static Double mean(List<Run> runs, Function<Run, Double> metric) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            Double v = metric.apply(r);
            if (v != null) {
                values.add(v);
            }
        }
        return values.isEmpty()
                ? null
                : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    static Worst lowest(List<Run> runs, Function<Run, Double> metric) {
        return extreme(runs, metric, -1);
    }

    static Worst highest(List<Run> runs, Function<Run, Double> metric) {
        return extreme(runs, metric, 1);
    }

    private static Worst extreme(List<Run> runs, Function<Run, Double> metric, int sign) {
        Worst worst = null;
        for (Run r : runs) {
            Double v = metric.apply(r);
            if (v != null && (worst == null || Double.compare(v, worst.value()) * sign > 0)) {
                worst = new Worst(r.seed(), v);
            }
        }
        return worst;
    }
}
