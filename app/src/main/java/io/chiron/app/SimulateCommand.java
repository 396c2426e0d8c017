package io.chiron.app;

import io.chiron.app.demo.Demo;
import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
import io.chiron.policy.ScalingPolicy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
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
            description = "Policy: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).",
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
        SimConfig sim = fleet.config(workload.seed);
        Workload w = workload.workload();
        if (llumnixThresholds != null
                && (llumnixThresholds.length != 2
                        || llumnixThresholds[0] >= llumnixThresholds[1])) {
            throw new IllegalArgumentException(
                    "--llumnix-thresholds takes OUT,IN with OUT < IN, e.g. 40,200");
        }
        ScalingPolicy p = Policies.create(policy, sim, w, llumnixThresholds);
        sim.initialInstances = fleet.initialRoles(p, sim, w);
        console.printf(
                "Simulating %s on %s (%s, x%s, %d requests) for %d s with %d instances (%s)...%n",
                p.name(),
                workload.trace,
                workload.scenario(),
                DemoCommand.format(workload.rateMultiplier),
                w.size(),
                workload.duration.toSeconds(),
                sim.initialInstances[0] + sim.initialInstances[1] + sim.initialInstances[2],
                Demo.describeFleet(sim.initialInstances));
        Simulation simulation =
                new Simulation(
                        sim,
                        w,
                        p,
                        new Simulation.Options(
                                Duration.ofSeconds(5), actuationDelay, Duration.ofMinutes(1)));
        Simulation.Result result;
        try (ConsoleProgress progress =
                new ConsoleProgress("simulated", workload.duration.toSeconds(), " s", console)) {
            result =
                    simulation.run(
                            workload.duration,
                            f -> progress.update((long) (f.now() / 1000), FleetStatus.line(f)));
        }
        console.println();
        Results.printPolicy(console, result.policy(), result.metrics());
        console.printf(
                "%nsimulated %.0f s in %.2f s of wall time: %.0fx real time%n",
                result.simulatedSeconds(),
                result.wallSeconds(),
                result.simulatedSeconds() / Math.max(1e-9, result.wallSeconds()));
        Map<String, Object> summary =
                Results.header(workload, result.simulatedSeconds(), result.wallSeconds());
        Map<String, Object> policies = new LinkedHashMap<>();
        Map<String, Object> metrics = result.metrics().toJson();
        if (p instanceof io.chiron.policy.baseline.OraclePolicy oracle) {
            metrics.put("gpu_hours_lower_bound", oracle.lowerBoundGpuHours());
        }
        policies.put(result.policy(), metrics);
        summary.put("policies", policies);
        summary.put("fleet", Results.fleet(sim, fleet));
        Path file = Summaries.write(out, summary);
        Path decisions = Summaries.writeDecisions(out, result.decisions());
        console.printf("summary: %s%ndecisions: %s%n", file, decisions);
        return 0;
    }

    /** For picocli's ${COMPLETION-CANDIDATES}. */
    static final class PolicyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Policies.NAMES.iterator();
        }
    }
}
