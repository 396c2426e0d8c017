package io.chiron.app.bench;

import io.chiron.embedded.EmbeddedStack;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.AvroCodec;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Decision latency under a steady live load: a generator sends telemetry stamped with the wall
 * clock at a fixed rate, the job runs unchanged, and each decision's latency is the time from the
 * end of the window it was decided on (event time) to its append to the decisions topic (the
 * broker's log-append time). The first part of the run is left out as warm-up.
 */
public final class LatencyBench {
    /** What was measured. */
    public record Result(
            long recordsPerSecond,
            long recordsSent,
            double seconds,
            int instances,
            int decisions,
            double p50Ms,
            double p99Ms,
            double maxMs,
            long outOfOrdernessMs,
            Map<String, double[]> stages) {}

    /** The topics whose append times are measured: the decisions and the signals before them. */
    private static final List<Topic> STAGES =
            List.of(Topic.INSTANCE_SIGNALS, Topic.POOL_SIGNALS, Topic.DECISIONS);

    private LatencyBench() {}

    public static Result run(
            long recordsPerSecond,
            Duration warmUp,
            Duration measured,
            int parallelism,
            Consumer<String> progress)
            throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 2);
        }
        int instances = (int) Math.max(1_000, recordsPerSecond / 100);
        int requestsPerInstance = (int) Math.max(1, recordsPerSecond / instances - 1);
        try (EmbeddedStack stack = EmbeddedStack.start(Math.max(2, parallelism), topics)) {
            // The broker stamps each decision, and each signal on the way to it, with the time it
            // appended it.
            Map<ConfigResource, java.util.Collection<AlterConfigOp>> logAppendTime =
                    new LinkedHashMap<>();
            for (Topic t : STAGES) {
                logAppendTime.put(
                        new ConfigResource(ConfigResource.Type.TOPIC, t.defaultName()),
                        List.of(
                                new AlterConfigOp(
                                        new ConfigEntry("message.timestamp.type", "LogAppendTime"),
                                        AlterConfigOp.OpType.SET)));
            }
            stack.kafka().admin().incrementalAlterConfigs(logAppendTime).all().get();

            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.PARALLELISM, parallelism);
            conf.set(JobOptions.DRY_RUN, true);
            // The generator sends in event-time order: no out-of-orderness to wait for.
            conf.set(JobOptions.OUT_OF_ORDERNESS, Duration.ZERO);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            JobID job = stack.flink().submit(env, "chiron-latency-bench");

            long start = (System.currentTimeMillis() / 1000 + 2) * 1000;
            Map<Long, Long> closedAt = new java.util.concurrent.ConcurrentHashMap<>();
            long seconds = warmUp.toSeconds() + measured.toSeconds();
            long sent;
            try (TelemetryGenerator generator =
                    new TelemetryGenerator(
                            stack.bootstrapServers(),
                            Topic.REQUESTS.defaultName(),
                            Topic.HEARTBEATS.defaultName(),
                            instances,
                            requestsPerInstance,
                            100,
                            60_000,
                            0.05,
                            7)) {
                progress.accept(
                        String.format(
                                "%,d records/s from %,d instances (5 %% replaced every 5 s) for"
                                        + " %d s, the first %d s warm-up...",
                                generator.recordsPerSecond(),
                                instances,
                                seconds,
                                warmUp.toSeconds()));
                for (long s = 0; s < seconds; s++) {
                    generator.second(
                            start + s * 1000,
                            ts -> {
                                awaitWallClock(ts);
                                if (ts % 1000 == 0) {
                                    // The first record of a second closes the windows that end
                                    // there; a generator behind the clock closes them late.
                                    closedAt.put(ts, Math.max(ts, System.currentTimeMillis()));
                                }
                            });
                }
                generator.flush();
                sent = generator.sent();
            }
            // The last windows close when event time passes them: a little more wall time.
            Thread.sleep(3_000);
            stack.flink().cancel(job);

            long from = start + warmUp.toMillis();
            long to = start + seconds * 1000;
            Map<String, double[]> stages = new LinkedHashMap<>();
            stages.put(
                    "instance_signal",
                    latencies(
                            stack.bootstrapServers(),
                            Topic.INSTANCE_SIGNALS,
                            InstanceSignal.class,
                            InstanceSignal::getWindowEndMs,
                            closedAt,
                            from,
                            to));
            stages.put(
                    "pool_signal",
                    latencies(
                            stack.bootstrapServers(),
                            Topic.POOL_SIGNALS,
                            PoolSignal.class,
                            PoolSignal::getWindowEndMs,
                            closedAt,
                            from,
                            to));
            double[] latencies =
                    latencies(
                            stack.bootstrapServers(),
                            Topic.DECISIONS,
                            ScalingDecision.class,
                            ScalingDecision::getTsMs,
                            closedAt,
                            from,
                            to);
            long[] lags =
                    closedAt.entrySet().stream()
                            .filter(e -> e.getKey() >= from)
                            .mapToLong(e -> e.getValue() - e.getKey())
                            .sorted()
                            .toArray();
            stages.put("generator_lag", Arrays.stream(lags).asDoubleStream().toArray());
            return new Result(
                    recordsPerSecond,
                    sent,
                    seconds,
                    instances,
                    latencies.length,
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1],
                    0,
                    stages);
        }
    }

    private static void awaitWallClock(long tsMs) throws InterruptedException {
        long ahead = tsMs - System.currentTimeMillis();
        if (ahead > 1) {
            // A live source: telemetry is sent when its time comes, not before.
            Thread.sleep(ahead);
        }
    }

    /**
     * Append time minus close time of every record of {@code topic} on a window ending in [from,
     * to), sorted. A window closes at its end, or when the generator sent the first record after it
     * if that was later ({@code closedAt}): the job cannot see a window's end before it has been
     * sent, and a generator behind the clock (it shares the cores with the job) would otherwise be
     * counted as the job's latency.
     */
    static <T extends SpecificRecordBase> double[] latencies(
            String bootstrap,
            Topic topic,
            Class<T> type,
            ToLongFunction<T> windowEnd,
            Map<Long, Long> closedAt,
            long from,
            long to) {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<Double> out = new ArrayList<>();
        try (var consumer =
                new KafkaConsumer<byte[], byte[]>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                // Appended is what counts, committed or not.
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_uncommitted"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic.defaultName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException(
                                topic.defaultName() + " is not on log-append time");
                    }
                    long closed = windowEnd.applyAsLong(codec.decode(r.value()));
                    if (closed >= from && closed < to) {
                        out.add((double) (r.timestamp() - closedAt.getOrDefault(closed, closed)));
                    }
                }
            }
        }
        double[] sorted = out.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
