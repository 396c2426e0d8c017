package io.chiron.app;

import io.chiron.app.report.Format;
import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.policy.ChironPolicy;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.global.ForecastBacktest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chiron simulate}: one policy in the in-process simulator. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs one policy on a trace in the in-process simulator: the fleet's telemetry goes"
                    + " through the same window arithmetic as the Flink job, and the policy is"
                    + " called directly at every window end. Fast and deterministic: the same"
                    + " inputs and seed give the same summary.json.",
            "Writes DIR/summary.json and DIR/decisions.jsonl."
        })
final class SimulateCommand implements Callable<Integer> {
    @Mixin WorkloadOptions workload;
    @Mixin FleetOptions fleet;

    @Option(
            names = "--policy",
            defaultValue = "chiron",
            description =
                    "Policy: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}). hindsight"
                            + " knows every arrival in advance: a strong reference, not a bound"
                            + " (oracle is its old name).",
            completionCandidates = PolicyNames.class)
    String policy;

    @Option(
            names = "--actuation-delay",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "Time from a decision to its effect on the fleet, the pipeline's lag (default"
                            + " ${DEFAULT-VALUE}).")
    Duration actuationDelay;

    @Option(
            names = "--llumnix-thresholds",
            split = ",",
            description =
                    "Scale-out and scale-in freeness thresholds of llumnix-tuned, e.g. 40,200"
                            + " (default: the tuned values).")
    double[] llumnixThresholds;

    @Option(
            names = "--out",
            defaultValue = "chiron-out/simulate",
            description = "Directory for the results (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        if (llumnixThresholds != null
                && (llumnixThresholds.length != 2
                        || llumnixThresholds[0] >= llumnixThresholds[1])) {
            throw new IllegalArgumentException(
                    "--llumnix-thresholds takes OUT,IN with OUT < IN, e.g. 40,200");
        }
        PolicyRun run = new PolicyRun(workload, fleet, actuationDelay, llumnixThresholds);
        PolicyRun.Input in = run.input(workload.seed);
        ScalingPolicy p = run.policy(policy, in);
        SimConfig sim = run.fleet(p, in);
        console.printf(
                "Simulating %s on %s (%s, x%s, %,d requests) for %d s of arrivals (horizon %d s)"
                        + " with %d instances (%s)...%n",
                p.name(),
                workload.trace,
                workload.scenario(),
                Format.number(workload.rateMultiplier),
                in.workload().size(),
                workload.duration.toSeconds(),
                in.horizon().toSeconds(),
                sim.initialInstances.total(),
                sim.initialInstances);
        Simulation.Result result;
        try (ConsoleProgress progress =
                new ConsoleProgress("simulated", in.horizon().toSeconds(), " s", console)) {
            result =
                    run.run(
                            p,
                            in,
                            f -> progress.update((long) (f.now() / 1000), FleetStatus.line(f)));
        }
        console.println();
        Results.printPolicy(console, result.policy(), result.metrics());
        Format.row(
                console,
                "GPU-hours over the lower bound",
                String.format(
                        "%.2fx (bound %.2f)",
                        result.metrics().gpuHours() / in.lowerBoundGpuHours(),
                        in.lowerBoundGpuHours()));
        Map<String, Object> backtest = forecastBacktest(console, p);
        console.printf(
                "%nsimulated %.0f s in %.2f s of wall time: %.0fx real time%n",
                result.simulatedSeconds(),
                result.wallSeconds(),
                result.simulatedSeconds() / Math.max(1e-9, result.wallSeconds()));
        Map<String, Object> summary =
                Results.header(
                        workload,
                        List.of(workload.seed),
                        result.simulatedSeconds(),
                        in.horizon().toSeconds(),
                        result.wallSeconds(),
                        in.lowerBoundGpuHours());
        Map<String, Object> metrics = result.metrics().toJson();
        metrics.put("gpu_hours_over_bound", result.metrics().gpuHours() / in.lowerBoundGpuHours());
        summary.put("policies", Map.of(result.policy(), metrics));
        summary.put("fleet", Results.fleet(sim, fleet));
        if (!backtest.isEmpty()) {
            summary.put("forecast_backtest", backtest);
        }
        Path file = Summaries.write(out, summary);
        Path decisions = Summaries.writeDecisions(out, result.decisions());
        console.printf("summary: %s%ndecisions: %s%n", file, decisions);
        return 0;
    }

    /**
     * Chiron's forecasters replayed on the interactive demand its run saw (issue 16: choose the
     * forecaster on the evidence): printed, and returned for summary.json; empty for a baseline or
     * a run too short to judge.
     */
    static Map<String, Object> forecastBacktest(PrintStream console, ScalingPolicy p) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!(p instanceof ChironPolicy chiron)) {
            return out;
        }
        Map<String, ForecastBacktest.Errors> errors = chiron.forecastBacktest();
        if (errors.isEmpty()) {
            return out;
        }
        long horizon = chiron.forecastHorizon().toSeconds();
        console.printf(
                "%nForecasters replayed on this run's interactive demand, %d s ahead"
                        + " (instance-s/s; chiron.global.forecast):%n",
                horizon);
        out.put("horizon_seconds", horizon);
        double mean = Arrays.stream(chiron.interactiveDemandSeries()).average().orElse(0);
        out.put("mean_demand", mean);
        Format.row(console, "  mean demand", String.format("%.3f", mean));
        errors.forEach(
                (name, e) -> {
                    Format.row(
                            console,
                            "  " + name,
                            String.format(
                                    "MAE %.3f, bias %+.3f, short in %.0f %% of steps by %.3f",
                                    e.mae(), e.bias(), 100 * e.shortFraction(), e.meanShortfall()));
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("steps", e.steps());
                    json.put("mae", e.mae());
                    json.put("bias", e.bias());
                    json.put("short_fraction", e.shortFraction());
                    json.put("mean_shortfall", e.meanShortfall());
                    out.put(name, json);
                });
        return out;
    }

    /** For picocli's ${COMPLETION-CANDIDATES}. */
    static final class PolicyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Policies.NAMES.iterator();
        }
    }
}
