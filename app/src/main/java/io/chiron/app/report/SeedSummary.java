package io.chiron.app.report;

import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.report.PolicyResult;

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

    /** The summary.json object of one policy over {@code runs}, one per seed. */
    public static Map<String, Object> json(List<Run> runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "interactive_slo_attainment",
                mean(runs, r -> r.result().interactiveSloAttainment()));
        out.put("batch_slo_attainment", mean(runs, r -> r.result().batchSloAttainment()));
        out.put("gpu_hours", mean(runs, r -> r.result().gpuHours()));
        out.put("gpu_hours_over_bound", mean(runs, Run::overBound));
        out.put("output_tokens_per_gpu_hour", mean(runs, r -> r.result().outputTokensPerGpuHour()));
        out.put("throughput_rps", mean(runs, r -> r.result().throughputRps()));
        out.put("goodput_rps", mean(runs, r -> r.result().goodputRps()));
        out.put("scaling_actions", mean(runs, r -> (double) r.result().scalingActions()));
        out.put("preemptions", mean(runs, r -> (double) r.result().preemptions()));
        out.put("guard_rejections", mean(runs, r -> (double) r.result().guardRejections()));
        out.put("batch_size_changes", mean(runs, r -> (double) r.result().batchSizeChanges()));
        out.put("end_seconds", mean(runs, r -> r.result().endSeconds()));
        Map<String, ClassOutcome> classes = new LinkedHashMap<>();
        for (Run r : runs) {
            r.result().classes().forEach((c, o) -> classes.merge(c, o, ClassOutcome::plus));
        }
        out.put("classes", classes);
        if (runs.size() > 1) {
            Map<String, Worst> worst = new LinkedHashMap<>();
            put(
                    worst,
                    "interactive_slo_attainment",
                    lowest(runs, r -> r.result().interactiveSloAttainment()));
            put(worst, "batch_slo_attainment", lowest(runs, r -> r.result().batchSloAttainment()));
            put(worst, "gpu_hours", highest(runs, r -> r.result().gpuHours()));
            put(worst, "gpu_hours_over_bound", highest(runs, Run::overBound));
            out.put("worst_seed", worst);
            Map<String, Object> perSeed = new LinkedHashMap<>();
            for (Run r : runs) {
                Map<String, Object> m = r.result().toJson();
                m.put("gpu_hours_lower_bound", r.lowerBoundGpuHours());
                m.put("gpu_hours_over_bound", r.overBound());
                perSeed.put(String.valueOf(r.seed()), m);
            }
            out.put("per_seed", perSeed);
        }
        return out;
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
