package io.chiron.app.bench;

import io.chiron.embedded.EmbeddedStack;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The job at fleet scale: telemetry of N distinct instances (and batch arrivals over 10,000 request
 * groups) is produced, the job reads it with its state live, and once it has read everything a full
 * checkpoint gives the state's size and a collected heap its live size.
 */
public final class ScaleBench {
    /** What was measured at one fleet size. */
    public record Result(
            int instances,
            int groups,
            long records,
            double recordsPerSecond,
            double heapMb,
            long stateBytes,
            double stateBytesPerKey) {}

    private static final String EMPTY = "bench.empty";

    private ScaleBench() {}

    public static Result run(
            int instances, int groups, long records, int parallelism, Consumer<String> progress)
            throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(EMPTY, 2);
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 2);
        }
        try (EmbeddedStack stack = EmbeddedStack.start(Math.max(2, parallelism), topics)) {
            long sent;
            long t0 = 1_767_225_600_000L; // 2026-01-01
            try (TelemetryGenerator generator =
                    new TelemetryGenerator(
                            stack.bootstrapServers(),
                            Topic.REQUESTS.defaultName(),
                            Topic.HEARTBEATS.defaultName(),
                            instances,
                            1,
                            groups,
                            60_000,
                            0,
                            11)) {
                long seconds = Math.max(10, records / generator.recordsPerSecond());
                progress.accept(
                        String.format(
                                "%,d instances: producing %,d s of telemetry (%,d records/s)...",
                                instances, seconds, generator.recordsPerSecond()));
                for (long s = 0; s < seconds; s++) {
                    generator.second(t0 + s * 1000, ts -> {});
                }
                generator.flush();
                sent = generator.sent();
            }
            // The heap without any job of this stack: the broker, the cluster, the topics' data;
            // once what earlier benchmarks' stacks left has been released (their threads end a
            // while after they close).
            long baseline = settledLiveHeap();
            // Throughput: the job bounded to the records, net of its start and stop.
            progress.accept("reading them with the job, bounded...");
            double overhead = PipelineBench.jobSeconds(stack, EMPTY, EMPTY, parallelism);
            double total =
                    PipelineBench.jobSeconds(
                            stack,
                            Topic.REQUESTS.defaultName(),
                            Topic.HEARTBEATS.defaultName(),
                            parallelism);
            double seconds = Math.max(1e-3, total - overhead);

            // Footprint: the job unbounded, its state live once it has read everything.
            progress.accept("reading them again, unbounded, for the live heap and state...");
            String group = "scale-bench";
            Admin admin = stack.kafka().admin();
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.PARALLELISM, parallelism);
            conf.set(JobOptions.DRY_RUN, true);
            conf.set(JobOptions.GROUP_ID, group);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            JobID job = stack.flink().submit(env, "chiron-scale-bench");
            // Each checkpoint commits the source's offsets: once they reach the end, everything
            // has been read.
            while (!readAll(admin, group)) {
                if (stack.flink().status(job).isGloballyTerminalState()) {
                    throw new IllegalStateException(
                            "the job ended before it had read everything: "
                                    + stack.flink().status(job));
                }
                Thread.sleep(500); // polling the committed offsets
            }
            long stateBytes = stack.flink().checkpointStateSize(job);
            // The job's heap: live with it running, less live before any job ran on this stack;
            // an upper bound (whatever the bounded run left behind counts too). Measuring
            // against the heap once the job is cancelled undercounts: the cluster keeps the
            // cancelled tasks' state reachable for a while.
            double heapMb = (liveHeap() - baseline) / (1024.0 * 1024.0);
            stack.flink().cancel(job);
            return new Result(
                    instances,
                    groups,
                    sent,
                    sent / seconds,
                    heapMb,
                    stateBytes,
                    (double) stateBytes / instances);
        }
    }

    private static boolean readAll(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartition p : partitions(admin)) {
            latest.put(p, OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get();
        for (var e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset())) {
                return false;
            }
        }
        return true;
    }

    /** The partitions the job reads. */
    private static List<TopicPartition> partitions(Admin admin) throws Exception {
        List<TopicPartition> out = new java.util.ArrayList<>();
        for (String topic : List.of(Topic.REQUESTS.defaultName(), Topic.HEARTBEATS.defaultName())) {
            for (var p :
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()) {
                out.add(new TopicPartition(topic, p.partition()));
            }
        }
        return out;
    }

    /**
     * The live heap once it stops shrinking: collected every second until three readings in a row
     * are within 4 MB of each other (at most 30 s).
     */
    static long settledLiveHeap() throws InterruptedException {
        long previous = liveHeap();
        int steady = 0;
        for (int i = 0; i < 30 && steady < 3; i++) {
            Thread.sleep(1_000); // letting closed stacks' threads end
            long now = liveHeap();
            steady = Math.abs(now - previous) < 4L << 20 ? steady + 1 : 0;
            previous = now;
        }
        return previous;
    }

    /** Heap in use after a full collection. */
    static long liveHeap() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
