package io.chiron.app;

import io.chiron.app.report.Format;
import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.sim.SimConfig;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of summary.json and of the console report that simulate and evaluate share. */
final class Results {
    private Results() {}

    /**
     * The top-level keys of summary.json (DESIGN.md §5).
     *
     * @param seeds one seed (written as {@code seed}) or several ({@code seeds})
     * @param simulatedSeconds the longest run's simulated time
     * @param horizonSeconds the horizon the runs were allowed
     * @param lowerBound the GPU-hour lower bound (the mean over the seeds)
     */
    static Map<String, Object> header(
            WorkloadOptions w,
            java.util.List<Long> seeds,
            double simulatedSeconds,
            double horizonSeconds,
            double wallSeconds,
            double lowerBound) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace", w.trace);
        json.put("scenario", w.scenario().cliName());
        if (seeds.size() == 1) {
            json.put("seed", seeds.get(0));
        } else {
            json.put("seeds", seeds);
        }
        json.put("rate_multiplier", w.rateMultiplier);
        json.put("duration_seconds", w.duration.toSeconds());
        json.put("simulated_seconds", simulatedSeconds);
        json.put("horizon_seconds", horizonSeconds);
        json.put("wall_seconds", wallSeconds);
        json.put("gpu_hours_lower_bound", lowerBound);
        return json;
    }

    static Map<String, Object> fleet(SimConfig sim, FleetOptions options) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profile", sim.latency.profile().name());
        json.put(
                "initial_instances",
                Map.of(
                        "interactive", sim.initialInstances.interactive(),
                        "mixed", sim.initialInstances.mixed(),
                        "batch", sim.initialInstances.batch()));
        json.put("cold_start_seconds", sim.coldStart.toSeconds());
        json.put("slo_ttft_ms", sim.interactiveTtftMs);
        json.put("slo_ttft_per_1k_tokens_ms", sim.ttftPerThousandPromptTokensMs);
        json.put("slo_itl_ms", sim.interactiveItlMs);
        json.put("batch_itl_ms", sim.batchItlMs);
        json.put("chunk_tokens", sim.chunkTokens);
        json.put("kv_capacity_tokens", sim.kvCapacityTokens());
        return json;
    }

    static void printPolicy(PrintStream out, String policy, PolicyResult p) {
        out.printf("Fleet outcome (policy: %s)%n", policy);
        Format.row(out, "interactive SLO attainment", attainment(p.interactive()));
        Format.row(out, "batch SLO attainment", attainment(p.batch()));
        Format.row(out, "GPU-hours", String.format("%.2f", p.gpuHours()));
        Format.row(
                out,
                "SLO-meeting tokens per GPU-hour",
                String.format("%,.0f", p.outputTokensPerGpuHour()));
        Format.row(
                out,
                "throughput / goodput",
                String.format("%.1f / %.1f requests/s", p.throughputRps(), p.goodputRps()));
        Format.row(out, "scaling actions", String.valueOf(p.scalingActions()));
        Format.row(out, "batch-size changes", String.valueOf(p.batchSizeChanges()));
        Format.row(out, "preemptions", String.valueOf(p.preemptions()));
        Format.row(out, "decisions rejected by the guard", String.valueOf(p.guardRejections()));
        for (var e : p.classes().entrySet()) {
            var c = e.getValue();
            if (c.arrived() > 0) {
                Format.row(
                        out,
                        e.getKey() + " requests",
                        String.format(
                                "%,d arrived: %,d met, %,d late, %,d dropped, %,d unfinished;"
                                        + " %,d feasible",
                                c.arrived(),
                                c.met(),
                                c.missedLate(),
                                c.missedDropped(),
                                c.missedUnfinished(),
                                c.feasible()));
            }
        }
    }

    /** Attainment with its feasible ceiling where that is below 100 %. */
    static String attainment(io.chiron.fleet.report.ClassOutcome c) {
        String a = Format.percent(c.attainment());
        return c.arrived() == 0 || c.feasible() == c.arrived()
                ? a
                : a + " (feasible ceiling " + Format.percent(c.feasibleShare()) + ")";
    }
}
