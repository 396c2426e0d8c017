package io.chiron.app;

import io.chiron.app.demo.TopicReader;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.AvroCodec;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;
import io.chiron.records.TestRecords;
import io.chiron.records.Topic;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event time is kept per Kafka partition: a partition read long after another (a subtask catching
 * up, a slow broker) does not find its records late because the other one ran ahead.
 */
class PartitionWatermarksITCase {
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01, a multiple of the window
    private static final long SPAN = Duration.ofMinutes(10).toMillis();
    private static final long EVERY = 100; // one finished request per 100 ms and instance
    private static final String GROUP = "partition-watermarks";
    private static final AvroCodec<RequestEvent> REQUESTS = AvroCodec.of(RequestEvent.class);
    private static final AvroCodec<InstanceHeartbeat> HEARTBEATS =
            AvroCodec.of(InstanceHeartbeat.class);

    @Test
    void aPartitionReadTenMinutesBehindAnotherLosesNothing() throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), t == Topic.REQUESTS ? 2 : 1);
        }
        long window = ChironConfig.defaults().localPeriod.toMillis();
        try (EmbeddedStack stack = EmbeddedStack.start(2, topics);
                var producer = producer(stack.bootstrapServers())) {
            // Heartbeats of both instances, and instance a's ten minutes of requests on
            // partition 0; partition 1 stays empty for now.
            for (long t = 0; t < SPAN; t += 1_000) {
                for (String id : List.of("a", "b")) {
                    send(producer, Topic.HEARTBEATS.defaultName(), 0, heartbeat(id, T0 + t));
                }
            }
            for (long t = 0; t < SPAN; t += EVERY) {
                send(producer, Topic.REQUESTS.defaultName(), 0, finished("a", T0 + t));
            }
            producer.flush();

            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.GROUP_ID, GROUP);
            conf.set(JobOptions.IDLENESS, Duration.ZERO); // an empty partition holds time back
            conf.set(JobOptions.DRY_RUN, true);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            var job = stack.flink().submit(env, "partition-watermarks");

            // Partition 0 read through (its offsets committed at a checkpoint), then instance
            // b's same ten minutes on partition 1.
            long perInstance = SPAN / EVERY;
            awaitCommitted(stack.bootstrapServers(), 0, perInstance);
            for (long t = 0; t < SPAN; t += EVERY) {
                send(producer, Topic.REQUESTS.defaultName(), 1, finished("b", T0 + t));
            }
            producer.flush();

            // Every window of b (the topic holds the sliding signals too) up to the last one the
            // watermark closes (the last 2 s of out-of-orderness keep the final window open).
            long lastClosed = T0 + SPAN - 2 * window;
            List<InstanceSignal> b = awaitWindowsOf(stack.bootstrapServers(), "b", lastClosed);
            stack.flink().cancel(job);
            // A 5 s window holds 50 of b's requests, one per 100 ms; had partition 1 been judged by
            // partition 0's watermark (ten minutes ahead), every one of them would have been late
            // and b's windows would hold heartbeats only.
            assertThat(b)
                    .filteredOn(s -> s.getWindowEndMs() - s.getWindowStartMs() == window)
                    .filteredOn(s -> s.getWindowStartMs() <= lastClosed)
                    .hasSize((int) ((lastClosed - T0) / window) + 1)
                    .allSatisfy(s -> assertThat(s.getCompletions()).isEqualTo(window / EVERY));
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** Sends the record to the partition, stamped with its event time. */
    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, int partition, Object r) {
        if (r instanceof RequestEvent e) {
            producer.send(
                    new ProducerRecord<>(topic, partition, e.getTsMs(), null, REQUESTS.encode(e)));
        } else {
            InstanceHeartbeat h = (InstanceHeartbeat) r;
            producer.send(
                    new ProducerRecord<>(
                            topic, partition, h.getTsMs(), null, HEARTBEATS.encode(h)));
        }
    }

    /** Polls the group's committed offset of requests partition {@code partition}. */
    private static void awaitCommitted(String bootstrap, int partition, long offset)
            throws Exception {
        TopicPartition p = new TopicPartition(Topic.REQUESTS.defaultName(), partition);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                OffsetAndMetadata committed =
                        admin.listConsumerGroupOffsets(GROUP)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(p);
                if (committed != null && committed.offset() >= offset) {
                    return;
                }
                assertThat(System.nanoTime())
                        .as("offset %d of %s committed", offset, p)
                        .isLessThan(deadline);
                Thread.sleep(200); // polling the broker, not synchronising threads
            }
        }
    }

    /** Polls the instance signals until {@code id}'s window starting at {@code start} is there. */
    private static List<InstanceSignal> awaitWindowsOf(String bootstrap, String id, long start)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            List<InstanceSignal> mine =
                    TopicReader.readAll(
                                    bootstrap,
                                    Topic.INSTANCE_SIGNALS.defaultName(),
                                    InstanceSignal.class)
                            .stream()
                            .filter(s -> s.getInstanceId().equals(id))
                            .toList();
            if (mine.stream().anyMatch(s -> s.getWindowStartMs() >= start)) {
                return mine;
            }
            assertThat(System.nanoTime()).as("%s's window at %d", id, start).isLessThan(deadline);
            Thread.sleep(200); // polling a topic, not synchronising threads
        }
    }

    private static RequestEvent finished(String instance, long ts) {
        return RequestEvent.newBuilder()
                .setType(RequestEventType.FINISHED)
                .setRequestId(instance + "-" + ts)
                .setModel("llama3-8b")
                .setRequestClass(RequestClass.INTERACTIVE)
                .setInstanceId(instance)
                .setInstanceRole(InstanceRole.MIXED)
                .setTsMs(ts)
                .setArrivalTsMs(ts - 1_000)
                .setSloTtftMs(2000)
                .setSloItlMs(50)
                .setPromptTokens(300)
                .setOutputTokens(40)
                .setQueueWaitMs(0)
                .setTtftMs(200L)
                .setItlMeanMs(21.0)
                .setPreemptions(0)
                .setSloMet(true)
                .setDeadlineTsMs(null)
                .setDropReason(null)
                .build();
    }

    private static InstanceHeartbeat heartbeat(String id, long ts) {
        return TestRecords.heartbeat()
                .setInstanceId(id)
                .setModel("llama3-8b")
                .setTsMs(ts)
                .setStartedTsMs(T0 - 60_000)
                .build();
    }
}
