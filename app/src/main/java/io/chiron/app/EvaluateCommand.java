package io.chiron.app;

import io.chiron.app.report.Evaluation;
import io.chiron.app.report.Format;
import io.chiron.app.report.HtmlReport;
import io.chiron.app.report.SeedSummary;
import io.chiron.app.report.TimeSeriesCsv;
import io.chiron.fleet.run.Simulation;

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
import java.util.stream.Collectors;

/** {@code chiron evaluate}: several policies on identical input, with a report. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs several policies on the same workload and fleet in the in-process simulator, in"
                    + " parallel across cores, and compares them: SLO attainment per class,"
                    + " GPU-hours and efficiency, throughput and goodput, scaling actions and"
                    + " preemptions; Chiron against each baseline, and every policy against the"
                    + " lower bound on GPU-hours. Every request is accounted for: arrivals stop at"
                    + " --duration and each run goes on until its work is done (or --horizon).",
            "Writes DIR/summary.json, DIR/report.html (charts) and DIR/timeseries-<policy>.csv."
        })
final class EvaluateCommand implements Callable<Integer> {
    @Mixin WorkloadOptions workload;
    @Mixin FleetOptions fleet;

    @Option(
            names = "--policies",
            required = true,
            split = ",",
            description =
                    "Policies to compare, e.g. chiron,llumnix-untuned,hpa,static,hindsight (any of"
                            + " chiron simulate --help's list).")
    List<String> policies;

    @Option(
            names = "--seeds",
            split = ",",
            description =
                    "Seeds to run every policy on, e.g. 11,12,13 or 11-15; the summary gives the"
                            + " mean and the worst seed of each metric (default: --seed).")
    List<String> seeds;

    @Option(
            names = "--actuation-delay",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description =
                    "Time from a decision to its effect on the fleet (default ${DEFAULT-VALUE}).")
    Duration actuationDelay;

    @Option(names = "--threads", description = "Runs at once (default: the number of cores).")
    Integer threads;

    @Option(
            names = "--out",
            defaultValue = "chiron-out/evaluate",
            description = "Directory for the results (default ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream console = System.out;
        List<String> names =
                new ArrayList<>(
                        new LinkedHashSet<>(
                                policies.stream()
                                        .map(n -> Policies.canonical(n, "--policies"))
                                        .toList()));
        List<Long> seedList = seeds();
        int parallel = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (parallel < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, was " + parallel);
        }
        PolicyRun run = new PolicyRun(workload, fleet, actuationDelay, null);
        List<PolicyRun.Input> inputs = new ArrayList<>();
        for (long seed : seedList) {
            inputs.add(run.input(seed));
        }
        long horizon =
                inputs.stream().mapToLong(in -> in.horizon().toSeconds()).max().orElseThrow();
        console.printf(
                "Evaluating %s on %s (%s, x%s, %,d requests, %d s of arrivals, horizon %d s), seed%s %s,"
                        + " %d at a time...%n",
                String.join(", ", names),
                workload.trace,
                workload.scenario(),
                Format.number(workload.rateMultiplier),
                inputs.get(0).workload().size(),
                workload.duration.toSeconds(),
                horizon,
                seedList.size() == 1 ? "" : "s",
                seedList.stream().map(String::valueOf).collect(Collectors.joining(",")),
                parallel);

        int jobs = names.size() * inputs.size();
        AtomicLongArray done = new AtomicLongArray(jobs);
        long wallStart = System.nanoTime();
        // results.get(seed index).get(policy index)
        List<List<Simulation.Result>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try (ConsoleProgress progress =
                new ConsoleProgress("evaluated", horizon * jobs, " s", console)) {
            List<List<Future<Simulation.Result>>> futures = new ArrayList<>();
            int k = 0;
            for (PolicyRun.Input in : inputs) {
                List<Future<Simulation.Result>> row = new ArrayList<>();
                for (String name : names) {
                    int index = k++;
                    row.add(
                            pool.submit(
                                    () ->
                                            run.run(
                                                    run.policy(name, in),
                                                    in,
                                                    f -> {
                                                        done.set(index, (long) (f.now() / 1000));
                                                        report(
                                                                progress, done, name, in.seed(),
                                                                f.now());
                                                    })));
                }
                futures.add(row);
            }
            for (List<Future<Simulation.Result>> row : futures) {
                List<Simulation.Result> r = new ArrayList<>();
                for (Future<Simulation.Result> f : row) {
                    r.add(f.get());
                }
                results.add(r);
            }
        } finally {
            pool.shutdownNow();
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        write(console, names, seedList, inputs, results, horizon, wall);
        return 0;
    }

    private static void report(
            ConsoleProgress progress, AtomicLongArray done, String name, long seed, double nowMs) {
        long total = 0;
        for (int i = 0; i < done.length(); i++) {
            total += done.get(i);
        }
        synchronized (progress) {
            progress.update(
                    total, name + " seed " + seed + " at " + (long) (nowMs / 60_000) + " min");
        }
    }

    /** --seeds as numbers: a list, ranges A-B included; or --seed alone. */
    List<Long> seeds() {
        if (seeds == null || seeds.isEmpty()) {
            return List.of(workload.seed);
        }
        List<Long> out = new ArrayList<>();
        for (String s : seeds) {
            String t = s.trim();
            try {
                int dash = t.indexOf('-', 1);
                if (dash > 0) {
                    long from = Long.parseLong(t.substring(0, dash));
                    long to = Long.parseLong(t.substring(dash + 1));
                    if (to < from || to - from > 1000) {
                        throw new NumberFormatException();
                    }
                    for (long v = from; v <= to; v++) {
                        out.add(v);
                    }
                } else {
                    out.add(Long.parseLong(t));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--seeds takes seeds and ranges, e.g. 11,12 or 11-15; '"
                                + t
                                + "' is neither");
            }
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }

    private void write(
            PrintStream console,
            List<String> names,
            List<Long> seedList,
            List<PolicyRun.Input> inputs,
            List<List<Simulation.Result>> results,
            long horizon,
            double wall)
            throws Exception {
        Files.createDirectories(out);
        double bound =
                inputs.stream()
                        .mapToDouble(PolicyRun.Input::lowerBoundGpuHours)
                        .average()
                        .orElseThrow();
        double simulated =
                results.stream()
                        .flatMap(List::stream)
                        .mapToDouble(Simulation.Result::simulatedSeconds)
                        .max()
                        .orElseThrow();
        Map<String, Object> summary =
                Results.header(workload, seedList, simulated, horizon, wall, bound);
        if (seedList.size() > 1) {
            Map<String, Double> bounds = new LinkedHashMap<>();
            for (PolicyRun.Input in : inputs) {
                bounds.put(String.valueOf(in.seed()), in.lowerBoundGpuHours());
            }
            summary.put("gpu_hours_lower_bound_per_seed", bounds);
        }
        Map<String, SeedSummary.Aggregate> byPolicy = new LinkedHashMap<>();
        for (int p = 0; p < names.size(); p++) {
            List<SeedSummary.Run> runs = new ArrayList<>();
            for (int s = 0; s < inputs.size(); s++) {
                runs.add(
                        new SeedSummary.Run(
                                inputs.get(s).seed(),
                                results.get(s).get(p).metrics(),
                                inputs.get(s).lowerBoundGpuHours()));
            }
            byPolicy.put(names.get(p), SeedSummary.of(runs));
        }
        summary.put("policies", byPolicy);
        // The report and the time series show the first seed's runs.
        PolicyRun.Input first = inputs.get(0);
        Evaluation e =
                new Evaluation(
                        workload.trace,
                        workload.scenario().cliName(),
                        first.seed(),
                        workload.rateMultiplier,
                        results.get(0).stream()
                                .mapToDouble(Simulation.Result::simulatedSeconds)
                                .max()
                                .orElseThrow(),
                        wall,
                        first.lowerBoundGpuHours(),
                        results.get(0));
        summary.put("comparison", e.comparison());
        summary.put("fleet", Results.fleet(fleet.config(first.seed()), fleet));
        for (Simulation.Result r : results.get(0)) {
            TimeSeriesCsv.write(out, r);
        }
        Path json = Summaries.write(out, summary);
        Path report = HtmlReport.write(out, e);
        printTable(console, byPolicy, seedList.size() > 1);
        console.printf(
                "%nlower bound %.2f GPU-hours%s; %d runs in %.1f s of wall time%n",
                bound,
                seedList.size() > 1 ? " (mean over the seeds)" : "",
                names.size() * seedList.size(),
                wall);
        console.printf("summary: %s%nreport:  %s (seed %d)%n", json, report, first.seed());
    }

    private static void printTable(
            PrintStream console, Map<String, SeedSummary.Aggregate> rows, boolean seeds) {
        console.println();
        console.printf(
                "%-22s %12s %10s %10s %8s %14s %8s %9s%n",
                "policy",
                "interactive",
                "batch",
                "GPU-hours",
                "/bound",
                "tokens/GPU-h",
                "actions",
                "rejected");
        rows.forEach(
                (name, p) ->
                        console.printf(
                                "%-22s %12s %10s %10.2f %7.2fx %14s %8.0f %9.0f%n",
                                name,
                                Format.percent(p.interactiveSloAttainment()),
                                Format.percent(p.batchSloAttainment()),
                                p.gpuHours(),
                                p.gpuHoursOverBound(),
                                String.format("%,.0f", p.outputTokensPerGpuHour()),
                                p.scalingActions(),
                                p.guardRejections()));
        if (seeds) {
            console.println(
                    "(means over the seeds; summary.json has the worst seed of each metric)");
        }
    }
}
