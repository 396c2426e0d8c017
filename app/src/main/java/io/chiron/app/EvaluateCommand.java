package io.chiron.app;

import io.chiron.app.report.Evaluation;
import io.chiron.app.report.HtmlReport;
import io.chiron.app.report.TimeSeriesCsv;
import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.baseline.OraclePolicy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

/** {@code chiron evaluate}: several policies on identical input, with a report. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs several policies on the same workload and fleet in the in-process simulator, in"
                    + " parallel across cores, and compares them: SLO attainment per class,"
                    + " GPU-hours and efficiency, throughput and goodput, scaling actions and"
                    + " preemptions; Chiron against each baseline, and every policy against the"
                    + " lower bound on GPU-hours.",
            "Writes DIR/summary.json, DIR/report.html (charts) and DIR/timeseries-<policy>.csv."
        })
final class EvaluateCommand implements Callable<Integer> {
    @Mixin WorkloadOptions workload;
    @Mixin FleetOptions fleet;

    @Option(
            names = "--policies",
            required = true,
            split = ",",
            description = "Policies to compare, e.g. chiron,llumnix-untuned,hpa,static,oracle.")
    List<String> policies;

    @Option(
            names = "--actuation-delay",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "Time from a decision to its effect on the fleet (default ${DEFAULT-VALUE}).")
    Duration actuationDelay;

    @Option(
            names = "--threads",
            description = "Policies run at once (default: the number of cores).")
    Integer threads;

    @Option(
            names = "--out",
            defaultValue = "chiron-out/evaluate",
            description = "Directory for the results (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        List<String> names = List.copyOf(new LinkedHashSet<>(policies));
        for (String n : names) {
            if (!Policies.NAMES.contains(n)) {
                throw new IllegalArgumentException(
                        "unknown policy '"
                                + n
                                + "' in --policies; allowed: "
                                + String.join(", ", Policies.NAMES));
            }
        }
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (parallel < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, was " + parallel);
        }
        Workload w = workload.workload();
        SimConfig reference = fleet.config(workload.seed);
        double bound =
                ((OraclePolicy) Policies.create("oracle", reference, w)).lowerBoundGpuHours();
        console.printf(
                "Evaluating %s on %s (%s, x%s, %,d requests, %d s), %d at a time...%n",
                String.join(", ", names),
                workload.trace,
                workload.scenario(),
                DemoCommand.format(workload.rateMultiplier),
                w.size(),
                workload.duration.toSeconds(),
                parallel);

        long seconds = workload.duration.toSeconds();
        AtomicLongArray done = new AtomicLongArray(names.size());
        long wallStart = System.nanoTime();
        List<Simulation.Result> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try (ConsoleProgress progress =
                new ConsoleProgress("evaluated", seconds * names.size(), " s", console)) {
            List<Future<Simulation.Result>> futures = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) {
                int index = k;
                String name = names.get(k);
                futures.add(
                        pool.submit(
                                () -> {
                                    SimConfig sim = fleet.config(workload.seed);
                                    ScalingPolicy p = Policies.create(name, sim, w);
                                    sim.initialInstances = fleet.initialRoles(p, sim, w);
                                    Simulation s =
                                            new Simulation(
                                                    sim,
                                                    w,
                                                    p,
                                                    new Simulation.Options(
                                                            Duration.ofSeconds(5),
                                                            actuationDelay,
                                                            Duration.ofMinutes(1)));
                                    return s.run(
                                            workload.duration,
                                            f -> {
                                                done.set(index, (long) (f.now() / 1000));
                                                long total = 0;
                                                for (int i = 0; i < done.length(); i++) {
                                                    total += done.get(i);
                                                }
                                                synchronized (progress) {
                                                    progress.update(
                                                            total,
                                                            name
                                                                    + " at "
                                                                    + (long) (f.now() / 60_000)
                                                                    + " min");
                                                }
                                            });
                                }));
            }
            for (Future<Simulation.Result> f : futures) {
                results.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        Evaluation e =
                new Evaluation(
                        workload.trace,
                        workload.scenario().cliName(),
                        workload.seed,
                        workload.rateMultiplier,
                        results.get(0).simulatedSeconds(),
                        wall,
                        bound,
                        results);

        Files.createDirectories(out);
        Map<String, Object> summary = Results.header(workload, e.simulatedSeconds(), wall);
        Map<String, Object> byPolicy = new LinkedHashMap<>();
        for (Simulation.Result r : results) {
            byPolicy.put(r.policy(), r.metrics().toJson());
            TimeSeriesCsv.write(out, r);
        }
        summary.put("policies", byPolicy);
        summary.put("gpu_hours_lower_bound", bound);
        summary.put("comparison", e.comparison());
        summary.put("fleet", Results.fleet(reference, fleet));
        Path json = Summaries.write(out, summary);
        Path report = HtmlReport.write(out, e);

        console.println();
        console.printf(
                "%-16s %12s %10s %10s %8s %14s %8s %11s%n",
                "policy",
                "interactive",
                "batch",
                "GPU-hours",
                "/bound",
                "tokens/GPU-h",
                "actions",
                "preemptions");
        for (Simulation.Result r : results) {
            var p = r.metrics();
            console.printf(
                    "%-16s %12s %10s %10.2f %7.2fx %14s %8d %11d%n",
                    r.policy(),
                    DemoCommand.percent(p.interactiveSloAttainment()),
                    DemoCommand.percent(p.batchSloAttainment()),
                    p.gpuHours(),
                    p.gpuHours() / bound,
                    String.format("%,.0f", p.outputTokensPerGpuHour()),
                    p.scalingActions(),
                    p.preemptions());
        }
        console.printf(
                "%nlower bound %.2f GPU-hours; %d policies in %.1f s of wall time%n",
                bound, results.size(), wall);
        console.printf("summary: %s%nreport:  %s%n", json, report);
        return 0;
    }
}
