package io.chiron.app;

import io.chiron.app.bench.BenchResults;
import io.chiron.app.bench.DecodeBench;
import io.chiron.app.bench.GatewayBench;
import io.chiron.app.bench.LatencyBench;
import io.chiron.app.bench.PipelineBench;
import io.chiron.app.bench.ScaleBench;
import io.chiron.app.bench.SimulatorBench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
                    + " and 2), latency (window end to decision append under a steady live load of"
                    + " half the job's capacity), scale (1k, 10k and 100k instances with 10k"
                    + " request groups: records/s, live heap, checkpoint bytes per key), simulator"
                    + " (simulated seconds per wall second at 50 and 500 instances), decode (Avro's"
                    + " defaults against the codec the job uses, in memory), gateway.",
            "With --out DIR also writes DIR/bench.json."
        })
final class BenchCommand implements Callable<Integer> {
    @Option(
            names = "--records",
            defaultValue = "10000000",
            description = "Records in the pipeline benchmark (default ${DEFAULT-VALUE}).")
    long records;

    @Option(
            names = "--gateway-streams",
            defaultValue = "1000",
            description = "Concurrent streams of the gateway benchmark (default ${DEFAULT-VALUE}).")
    int gatewayStreams;

    @Option(
            names = "--only",
            split = ",",
            description =
                    "Benchmarks to run: pipeline, decode, latency, scale, simulator, gateway"
                            + " (default: all).")
    List<String> only;

    @Option(
            names = "--latency-rate",
            description =
                    "Records/s of the latency benchmark's load (default: half the job's rate at"
                            + " parallelism 1 from the pipeline benchmark of this run, else"
                            + " 200000).")
    Long latencyRate;

    @Option(
            names = "--latency-seconds",
            defaultValue = "60",
            description =
                    "Measured seconds of the latency benchmark, after 20 s of warm-up (default"
                            + " ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(
            names = "--scale-instances",
            split = ",",
            defaultValue = "1000,10000,100000",
            description = "Fleet sizes of the scale benchmark (default ${DEFAULT-VALUE}).")
    List<Integer> scaleInstances;

    @Option(
            names = "--scale-records",
            defaultValue = "4000000",
            description =
                    "Records per fleet size in the scale benchmark (default ${DEFAULT-VALUE}).")
    long scaleRecords;

    @Option(
            names = "--repeats",
            defaultValue = "3",
            description =
                    "Rounds of the pipeline benchmark, both sides interleaved; the ratio is of the"
                            + " medians (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--out", description = "Directory for bench.json.")
    Path out;

    /** Median generator lag up to which a latency run counts as a steady load. */
    private static final double STEADY_LAG_MS = 100;

    private static final List<String> ALL =
            List.of("pipeline", "decode", "latency", "scale", "simulator", "gateway");

    private final PrintStream console = System.out;

    @Override
    public Integer call() throws Exception {
        List<String> run = only != null ? only : ALL;
        validate(run);
        List<BenchResults.Result> results = new ArrayList<>();
        long t0 = System.nanoTime();
        Double jobRateP1 = null;
        if (run.contains("pipeline")) {
            List<BenchResults.Pipeline> pipeline = pipeline();
            results.addAll(pipeline);
            jobRateP1 =
                    pipeline.stream()
                            .filter(b -> b.parallelism() == 1)
                            .map(BenchResults.Pipeline::jobRecordsPerS)
                            .findFirst()
                            .orElse(null);
        }
        if (run.contains("decode")) {
            results.add(decode());
        }
        if (run.contains("latency")) {
            results.addAll(latency(jobRateP1));
        }
        if (run.contains("scale")) {
            results.addAll(scale());
        }
        if (run.contains("simulator")) {
            results.addAll(simulator());
        }
        if (run.contains("gateway")) {
            results.add(gateway());
        }
        var report =
                new BenchResults.Report(
                        BenchResults.Machine.current(), results, (System.nanoTime() - t0) / 1e9);
        if (out != null) {
            Files.createDirectories(out);
            Path file = out.resolve("bench.json");
            new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(file.toFile(), report);
            console.printf("bench: %s%n", file);
        }
        return 0;
    }

    private BenchResults.Gateway gateway() throws Exception {
        console.printf(
                "gateway: TTFT and requests/s through the gateway against the same emulated"
                        + " instances reached straight (%d streams at once)%n",
                gatewayStreams);
        var g = GatewayBench.run(4, gatewayStreams, 3, line -> console.println("  " + line));
        var r =
                new BenchResults.Gateway(
                        g.instances(),
                        g.concurrentStreams(),
                        g.gateway().streams(),
                        g.direct().ttftP50Ms(),
                        g.direct().ttftP99Ms(),
                        g.gateway().ttftP50Ms(),
                        g.gateway().ttftP99Ms(),
                        g.gateway().ttftP50Ms() - g.direct().ttftP50Ms(),
                        g.gateway().ttftP99Ms() - g.direct().ttftP99Ms(),
                        g.direct().requestsPerS(),
                        g.gateway().requestsPerS(),
                        g.gateway().requestsPerS() / g.direct().requestsPerS(),
                        g.direct().failures() + g.gateway().failures(),
                        g.stageMeanMs());
        console.printf(
                "  added TTFT p50 %.2f ms, p99 %.2f ms (targets < 1 and < 5); requests/s through"
                        + " the gateway %.2f of straight (target >= 0.8); %d failures%n",
                r.addedTtftP50Ms(), r.addedTtftP99Ms(), r.requestsPerSecondRatio(), r.failures());
        return r;
    }

    private void validate(List<String> run) {
        for (String b : run) {
            if (!ALL.contains(b)) {
                throw new IllegalArgumentException(
                        "unknown benchmark '"
                                + b
                                + "' in --only; allowed: "
                                + String.join(", ", ALL));
            }
        }
        if (latencyRate != null && latencyRate < 1_000) {
            throw new IllegalArgumentException(
                    "--latency-rate must be >= 1000 records/s, was " + latencyRate);
        }
        if (latencySeconds < 10) {
            throw new IllegalArgumentException(
                    "--latency-seconds must be >= 10, was " + latencySeconds);
        }
        for (int n : scaleInstances) {
            if (n < 1) {
                throw new IllegalArgumentException(
                        "--scale-instances must be positive counts, was " + scaleInstances);
            }
        }
        if (repeats < 1 || repeats > 9) {
            throw new IllegalArgumentException("--repeats must be in [1, 9], was " + repeats);
        }
        if (records < 10_000) {
            throw new IllegalArgumentException("--records must be >= 10000, was " + records);
        }
    }

    private List<BenchResults.Pipeline> pipeline() throws Exception {
        console.println("pipeline: the telemetry job against the raw Kafka + Avro limit");
        var rates = PipelineBench.run(records, repeats, line -> console.println("  " + line));
        List<BenchResults.Pipeline> out = new ArrayList<>();
        for (int p : new int[] {1, 2}) {
            double[] raw = perSecond(rates, "raw", p);
            double[] job = perSecond(rates, "telemetry", p);
            double[] floor = perSecond(rates, PipelineBench.SOURCE_FLOOR, p);
            double rawMedian = median(raw);
            double jobMedian = median(job);
            double floorMedian = median(floor);
            out.add(
                    new BenchResults.Pipeline(
                            p,
                            records,
                            repeats,
                            rawMedian,
                            jobMedian,
                            jobMedian / rawMedian,
                            raw,
                            job,
                            floorMedian,
                            floorMedian / rawMedian));
            console.printf(
                    "  parallelism %d: job %,.0f / raw %,.0f records/s = %.2f (medians of %d"
                            + " rounds; ratios %.2f to %.2f); the source and decoding alone:"
                            + " %,.0f = %.2f%n",
                    p,
                    jobMedian,
                    rawMedian,
                    jobMedian / rawMedian,
                    repeats,
                    min(job) / max(raw),
                    max(job) / min(raw),
                    floorMedian,
                    floorMedian / rawMedian);
        }
        return out;
    }

    /**
     * At half the job's rate at parallelism 1 (or --latency-rate). A load is steady when the
     * generator keeps up with the clock; on a small machine it shares the cores with the broker and
     * the job and may not: then the rate is halved (at most twice) and every attempt reported.
     */
    private List<BenchResults.Latency> latency(Double jobRateP1) throws Exception {
        long rate =
                latencyRate != null
                        ? latencyRate
                        : jobRateP1 != null ? Math.round(jobRateP1 / 2) : 200_000;
        console.printf(
                "latency: window close to decision append, at %,d records/s%s%n",
                rate,
                latencyRate == null && jobRateP1 != null
                        ? " (half the job's rate at parallelism 1)"
                        : "");
        List<BenchResults.Latency> out = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            var l =
                    LatencyBench.run(
                            rate,
                            Duration.ofSeconds(20),
                            Duration.ofSeconds(latencySeconds),
                            1,
                            line -> console.println("  " + line));
            double lagP50 = LatencyBench.percentile(l.stages().get("generator_lag"), 50);
            boolean steady = lagP50 <= STEADY_LAG_MS;
            out.add(latencyResult(l, steady));
            console.printf(
                    "  %,d decisions: p50 %.0f ms, p99 %.0f ms, max %.0f ms after their window"
                            + " closed (sent %,.0f records/s)%s%n",
                    l.decisions(),
                    l.p50Ms(),
                    l.p99Ms(),
                    l.maxMs(),
                    l.recordsSent() / l.seconds(),
                    steady ? "" : " - not steady");
            if (steady) {
                break;
            }
            rate /= 2;
            console.printf(
                    "  the generator ran %.0f ms behind the clock (median): this machine cannot"
                            + " send and process this load at once; again at %,d records/s%n",
                    lagP50, rate);
        }
        return out;
    }

    private BenchResults.Latency latencyResult(LatencyBench.Result l, boolean steady) {
        Map<String, Double> stages = new LinkedHashMap<>();
        for (var stage : l.stages().entrySet()) {
            double[] sorted = stage.getValue();
            boolean lag = stage.getKey().equals("generator_lag");
            String key = lag ? stage.getKey() : stage.getKey() + "_latency";
            double p50 = LatencyBench.percentile(sorted, 50);
            double p99 = LatencyBench.percentile(sorted, 99);
            stages.put(key + "_p50_ms", p50);
            stages.put(key + "_p99_ms", p99);
            if (lag) {
                console.printf(
                        "  generator behind the clock at %,d second starts: p50 %.0f ms, p99 %.0f"
                                + " ms%n",
                        sorted.length, p50, p99);
            } else {
                console.printf(
                        "  %,d %ss: p50 %.0f ms, p99 %.0f ms after their window closed%n",
                        sorted.length, stage.getKey().replace('_', ' '), p50, p99);
            }
        }
        return new BenchResults.Latency(
                1,
                l.recordsPerSecond(),
                l.recordsSent() / l.seconds(),
                steady,
                l.instances(),
                l.decisions(),
                l.p50Ms(),
                l.p99Ms(),
                l.maxMs(),
                l.outOfOrdernessMs(),
                stages);
    }

    private List<BenchResults.Scale> scale() throws Exception {
        console.println("scale: distinct instances, 10,000 request groups, parallelism 2");
        List<BenchResults.Scale> out = new ArrayList<>();
        for (int n : scaleInstances) {
            var r =
                    ScaleBench.run(
                            n, 10_000, scaleRecords, 2, line -> console.println("  " + line));
            out.add(
                    new BenchResults.Scale(
                            r.instances(),
                            r.groups(),
                            r.records(),
                            r.recordsPerSecond(),
                            r.heapMb(),
                            r.stateBytes(),
                            r.stateBytesPerKey()));
            console.printf(
                    "  %,d instances: %,.0f records/s, live heap %.0f MB, checkpoint %,d bytes"
                            + " = %,.0f bytes per instance%n",
                    r.instances(),
                    r.recordsPerSecond(),
                    r.heapMb(),
                    r.stateBytes(),
                    r.stateBytesPerKey());
        }
        return out;
    }

    /** Records decoded per round: a few seconds per round on this machine. */
    private static final int DECODE_RECORDS = 2_000_000;

    private static final int DECODE_ROUNDS = 5;

    private BenchResults.Decode decode() {
        console.println("decode: request events decoded in memory, Avro's defaults and the codec");
        var rates =
                DecodeBench.run(
                        DECODE_RECORDS, DECODE_ROUNDS, line -> console.println("  " + line));
        double[] avro = decodeRates(rates, DecodeBench.AVRO);
        double[] codec = decodeRates(rates, DecodeBench.CODEC);
        double ratio = median(codec) / median(avro);
        console.printf(
                "  codec %,.0f / Avro's defaults %,.0f records/s = %.2f (medians of %d rounds)%n",
                median(codec), median(avro), ratio, DECODE_ROUNDS);
        return new BenchResults.Decode(
                DECODE_RECORDS, DECODE_ROUNDS, median(avro), median(codec), ratio, avro, codec);
    }

    private static double[] decodeRates(List<DecodeBench.Rate> rates, String what) {
        return rates.stream()
                .filter(r -> r.what().equals(what))
                .mapToDouble(DecodeBench.Rate::perSecond)
                .toArray();
    }

    private List<BenchResults.Simulator> simulator() {
        console.println("simulator: mixed scenario, Chiron deciding");
        List<BenchResults.Simulator> out = new ArrayList<>();
        for (int instances : new int[] {50, 500}) {
            Duration simulated = instances <= 50 ? Duration.ofHours(1) : Duration.ofMinutes(10);
            var s = SimulatorBench.run(instances, simulated);
            out.add(
                    new BenchResults.Simulator(
                            instances,
                            s.requests(),
                            s.simulatedSeconds(),
                            s.wallSeconds(),
                            s.speedup()));
            console.printf(
                    "  %d instances: %.0f simulated s in %.1f s = %,.0fx real time%n",
                    instances, s.simulatedSeconds(), s.wallSeconds(), s.speedup());
        }
        return out;
    }

    private static double[] perSecond(List<PipelineBench.Rate> rates, String what, int p) {
        return rates.stream()
                .filter(r -> r.what().startsWith(what) && r.parallelism() == p)
                .mapToDouble(PipelineBench.Rate::perSecond)
                .toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
