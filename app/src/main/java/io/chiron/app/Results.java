package io.chiron.app;

import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.sim.SimConfig;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of summary.json and of the console report that simulate and evaluate share. */
final class Results {
    private Results() {}

    /** The top-level keys of summary.json (DESIGN.md §5). */
    static Map<String, Object> header(
            WorkloadOptions w, double simulatedSeconds, double wallSeconds) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace", w.trace);
        json.put("scenario", w.scenario().cliName());
        json.put("seed", w.seed);
        json.put("simulated_seconds", simulatedSeconds);
        json.put("wall_seconds", wallSeconds);
        json.put("rate_multiplier", w.rateMultiplier);
        return json;
    }

    static Map<String, Object> fleet(SimConfig sim, FleetOptions options) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profile", sim.latency.profile().name());
        json.put(
                "initial_instances",
                Map.of(
                        "interactive", sim.initialInstances[0],
                        "mixed", sim.initialInstances[1],
                        "batch", sim.initialInstances[2]));
        json.put("cold_start_seconds", sim.coldStart.toSeconds());
        json.put("chunk_tokens", sim.chunkTokens);
        json.put("kv_capacity_tokens", sim.kvCapacityTokens());
        return json;
    }

    static void printPolicy(PrintStream out, String policy, PolicyResult p) {
        out.printf("Fleet outcome (policy: %s)%n", policy);
        row(out, "interactive SLO attainment", DemoCommand.percent(p.interactiveSloAttainment()));
        row(out, "batch SLO attainment", DemoCommand.percent(p.batchSloAttainment()));
        row(out, "GPU-hours", String.format("%.2f", p.gpuHours()));
        row(
                out,
                "SLO-meeting tokens per GPU-hour",
                String.format("%,.0f", p.outputTokensPerGpuHour()));
        row(
                out,
                "throughput / goodput",
                String.format("%.1f / %.1f requests/s", p.throughputRps(), p.goodputRps()));
        row(out, "scaling actions", String.valueOf(p.scalingActions()));
        row(out, "batch-size changes", String.valueOf(p.batchSizeChanges()));
        row(out, "preemptions", String.valueOf(p.preemptions()));
        row(
                out,
                "requests",
                String.format(
                        "%,d arrived, %,d finished, %,d dropped",
                        p.requestsArrived(), p.requestsFinished(), p.requestsDropped()));
    }

    static void row(PrintStream out, String label, String value) {
        out.printf("  %-32s %s%n", label, value);
    }
}
