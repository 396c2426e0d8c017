package io.chiron.app;

import io.chiron.app.bench.PipelineBench;
import io.chiron.app.bench.SimulatorBench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chiron bench}: the benchmarks, as ratios against baselines measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the benchmarks on an embedded stack and prints a table: pipeline (the telemetry"
                    + " job against a plain Kafka consumer decoding the same records, parallelism 1"
                    + " and 2), simulator (simulated seconds per wall second at 50 and 500"
                    + " instances).",
            "With --out DIR also writes DIR/bench.json."
        })
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--records",
            defaultValue = "10000000",
            description = "Records in the pipeline benchmark (default ${DEFAULT-VALUE}).")
    long records;

    @Option(
            names = "--only",
            split = ",",
            description = "Benchmarks to run: pipeline, simulator (default: all).")
    List<String> only;

    @Option(names = "--out", description = "Directory for bench.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<String> run = only != null ? only : List.of("pipeline", "simulator");
        for (String b : run) {
            if (!List.of("pipeline", "simulator").contains(b)) {
                throw new IllegalArgumentException(
                        "unknown benchmark '" + b + "' in --only; allowed: pipeline, simulator");
            }
        }
        if (records < 10_000) {
            throw new IllegalArgumentException("--records must be >= 10000, was " + records);
        }
        PrintStream console = System.out;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("machine", machine());
        List<Object> benchmarks = new ArrayList<>();
        json.put("benchmarks", benchmarks);
        long t0 = System.nanoTime();
        if (run.contains("pipeline")) {
            console.println("pipeline: the telemetry job against the raw Kafka + Avro limit");
            var rates = PipelineBench.run(records, line -> console.println("  " + line));
            for (int p : new int[] {1, 2}) {
                double raw =
                        rates.stream()
                                .filter(r -> r.what().startsWith("raw") && r.parallelism() == p)
                                .findFirst()
                                .orElseThrow()
                                .perSecond();
                double job =
                        rates.stream()
                                .filter(
                                        r ->
                                                r.what().startsWith("telemetry")
                                                        && r.parallelism() == p)
                                .findFirst()
                                .orElseThrow()
                                .perSecond();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("benchmark", "pipeline");
                m.put("parallelism", p);
                m.put("records", records);
                m.put("raw_records_per_s", raw);
                m.put("job_records_per_s", job);
                m.put("ratio", job / raw);
                benchmarks.add(m);
                console.printf(
                        "  parallelism %d: job %,.0f / raw %,.0f records/s = %.2f%n",
                        p, job, raw, job / raw);
            }
        }
        if (run.contains("simulator")) {
            console.println("simulator: mixed scenario, Chiron deciding");
            for (int instances : new int[] {50, 500}) {
                Duration simulated = instances <= 50 ? Duration.ofHours(1) : Duration.ofMinutes(10);
                var s = SimulatorBench.run(instances, simulated);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("benchmark", "simulator");
                m.put("instances", instances);
                m.put("requests", s.requests());
                m.put("simulated_seconds", s.simulatedSeconds());
                m.put("wall_seconds", s.wallSeconds());
                m.put("sim_speedup", s.speedup());
                benchmarks.add(m);
                console.printf(
                        "  %d instances: %.0f simulated s in %.1f s = %,.0fx real time%n",
                        instances, s.simulatedSeconds(), s.wallSeconds(), s.speedup());
            }
        }
        json.put("run_seconds", (System.nanoTime() - t0) / 1e9);
        if (out != null) {
            java.nio.file.Files.createDirectories(out);
            Path file = out.resolve("bench.json");
            new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), json);
            console.printf("bench: %s%n", file);
        }
        return 0;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("jdk", System.getProperty("java.version") + " " + System.getProperty("java.vm.name"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments().toString());
        return m;
    }
}
