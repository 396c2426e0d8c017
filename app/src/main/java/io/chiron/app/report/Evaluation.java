package io.chiron.app.report;

import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.run.Simulation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of several policies on identical input, and how Chiron compares: against each
 * baseline as ratios, against the lower bound as GPU-hours over it.
 */
public record Evaluation(
        String trace,
        String scenario,
        long seed,
        double rateMultiplier,
        double simulatedSeconds,
        double wallSeconds,
        double lowerBoundGpuHours,
        List<Simulation.Result> results) {

    public Simulation.Result result(String policy) {
        return results.stream().filter(r -> r.policy().equals(policy)).findFirst().orElse(null);
    }

    /** Chiron against every other policy: GPU-hour ratio and attainment differences. */
    public Map<String, Object> comparison() {
        Map<String, Object> out = new LinkedHashMap<>();
        Simulation.Result chiron = result("chiron");
        if (chiron == null) {
            return out;
        }
        PolicyResult c = chiron.metrics();
        out.put("chiron_gpu_hours_over_lower_bound", c.gpuHours() / lowerBoundGpuHours);
        for (Simulation.Result r : results) {
            if (r == chiron) {
                continue;
            }
            PolicyResult b = r.metrics();
            Map<String, Object> vs = new LinkedHashMap<>();
            vs.put("gpu_hours_ratio", c.gpuHours() / b.gpuHours());
            vs.put(
                    "interactive_attainment_delta",
                    delta(c.interactiveSloAttainment(), b.interactiveSloAttainment()));
            vs.put("batch_attainment_delta", delta(c.batchSloAttainment(), b.batchSloAttainment()));
            vs.put(
                    "efficiency_ratio",
                    c.outputTokensPerGpuHour() / Math.max(1e-9, b.outputTokensPerGpuHour()));
            out.put("chiron_vs_" + r.policy(), vs);
        }
        return out;
    }

    private static Double delta(Double a, Double b) {
        return a == null || b == null ? null : a - b;
    }
}
