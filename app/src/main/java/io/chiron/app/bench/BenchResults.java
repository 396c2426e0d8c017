package io.chiron.app.bench;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/** What {@code chiron bench} measured, as Jackson writes it into bench.json. */
public final class BenchResults {
    private BenchResults() {}

    /** One benchmark's figures; {@code benchmark} names which. */
    @JsonPropertyOrder({"benchmark"})
    public sealed interface Result permits Pipeline, Decode, Latency, Scale, Simulator, Gateway {
        @JsonProperty("benchmark")
        String benchmark();
    }

    /** The telemetry job against the raw Kafka + Avro limit, medians of interleaved rounds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pipeline(
            int parallelism,
            long records,
            int repeats,
            double rawRecordsPerS,
            double jobRecordsPerS,
            double ratio,
            // Spelled out: the naming strategy would make "per_seach" of "PerSEach".
            @JsonProperty("raw_records_per_s_each") double[] rawRecordsPerSEach,
            @JsonProperty("job_records_per_s_each") double[] jobRecordsPerSEach,
            // The job's Kafka source and decoding alone: the floor any job on the source pays.
            double sourceFloorRecordsPerS,
            double sourceFloorRatio)
            implements Result {
        @Override
        public String benchmark() {
            return "pipeline";
        }
    }

    /** Avro decoding of request events alone: Avro's defaults against the codec the job uses. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Decode(
            long records,
            int rounds,
            double avroRecordsPerS,
            double codecRecordsPerS,
            double ratio,
            @JsonProperty("avro_records_per_s_each") double[] avroRecordsPerSEach,
            @JsonProperty("codec_records_per_s_each") double[] codecRecordsPerSEach)
            implements Result {
        @Override
        public String benchmark() {
            return "decode";
        }
    }

    /**
     * Window close to decision append under a live load; {@code stages} holds each stage's p50 and
     * p99 ({@code <stage>_latency_p50_ms}, the generator's lag as {@code generator_lag_p50_ms}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Latency(
            int parallelism,
            long targetRecordsPerS,
            double sentRecordsPerS,
            boolean steady,
            int instances,
            long decisions,
            double decisionLatencyP50Ms,
            double decisionLatencyP99Ms,
            double decisionLatencyMaxMs,
            long watermarkOutOfOrdernessMs,
            @JsonAnyGetter Map<String, Double> stages)
            implements Result {
        @Override
        public String benchmark() {
            return "latency";
        }
    }

    /** Records/s, live heap and checkpoint bytes at a fleet size. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Scale(
            int instances,
            int requestGroups,
            long records,
            double recordsPerS,
            double heapMb,
            long stateBytes,
            double stateBytesPerKey)
            implements Result {
        @Override
        public String benchmark() {
            return "scale";
        }
    }

    /** Simulated seconds per wall second. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Simulator(
            int instances,
            long requests,
            double simulatedSeconds,
            double wallSeconds,
            double simSpeedup)
            implements Result {
        @Override
        public String benchmark() {
            return "simulator";
        }
    }

    /**
     * The gateway against the same emulated instances reached straight: TTFT percentiles of streams
     * at a concurrency, the added latency (differences of the percentiles), and requests/s of
     * one-token completions with their ratio.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Gateway(
            int instances,
            int concurrentStreams,
            long streams,
            double directTtftP50Ms,
            double directTtftP99Ms,
            double gatewayTtftP50Ms,
            double gatewayTtftP99Ms,
            double addedTtftP50Ms,
            double addedTtftP99Ms,
            double directRequestsPerSecond,
            double gatewayRequestsPerSecond,
            double requestsPerSecondRatio,
            long failures,
            Map<String, Double> gatewayStageMeanMs)
            implements Result {
        @Override
        public String benchmark() {
            return "gateway";
        }
    }

    /** The machine the figures come from. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Machine(int cores, long maxHeapMb, String jdk, String os, String jvmArgs) {
        public static Machine current() {
            return new Machine(
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() / (1024 * 1024),
                    System.getProperty("java.version") + " " + System.getProperty("java.vm.name"),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                    ManagementFactory.getRuntimeMXBean().getInputArguments().toString());
        }
    }

    /** bench.json. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(Machine machine, List<Result> benchmarks, double runSeconds) {}
}
