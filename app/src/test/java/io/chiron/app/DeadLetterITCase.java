package io.chiron.app;

import io.chiron.app.demo.TopicReader;
import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.fleet.workload.Scenario;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceSignal;
import io.chiron.records.RequestEvent;
import io.chiron.records.TestRecords;
import io.chiron.records.Topic;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on the wire reaches the dead-letter topic whole, with a reason; the job goes on. */
class DeadLetterITCase {

    @Test
    void malformedAndAbsurdRecordsBecomeDeadLettersAndTheJobKeepsRunning() throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 1);
        }
        Recording recording =
                Recording.of("azure-conv", Scenario.INTERACTIVE, 2, Duration.ofMinutes(2), 1);
        RequestEvent sample =
                (RequestEvent)
                        recording.records().stream()
                                .filter(r -> r instanceof RequestEvent)
                                .findFirst()
                                .orElseThrow();
        byte[] good = AvroCodec.of(RequestEvent.class).encode(sample);
        List<byte[]> bad =
                List.of(
                        "garbage".getBytes(StandardCharsets.UTF_8), // not Avro
                        Arrays.copyOf(good, good.length - 5), // a field missing
                        AvroCodec.of(RequestEvent.class)
                                .encode(
                                        RequestEvent.newBuilder(sample)
                                                .setPromptTokens(-7)
                                                .build()),
                        AvroCodec.of(InstanceSignal.class).encode(signal())); // another schema
        try (EmbeddedStack stack = EmbeddedStack.start(2, topics)) {
            try (var raw =
                    new KafkaProducer<>(
                            Map.<String, Object>of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    stack.bootstrapServers()),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (byte[] b : bad) {
                    raw.send(
                                    new ProducerRecord<>(
                                            Topic.REQUESTS.defaultName(),
                                            null,
                                            sample.getTsMs(),
                                            null,
                                            b))
                            .get();
                }
            }
            Replay.publish(stack.bootstrapServers(), recording);
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.BOUNDED, true);
            conf.set(JobOptions.IDLENESS, Duration.ZERO);
            conf.set(JobOptions.DRY_RUN, true);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            var job = stack.flink().submit(env, "dead-letters");
            assertThat(stack.flink().result(job).get().isSuccess()).isTrue();

            List<DeadLetter> dead =
                    TopicReader.readAll(
                            stack.bootstrapServers(),
                            Topic.DEAD_LETTERS.defaultName(),
                            DeadLetter.class);
            assertThat(dead).hasSize(bad.size());
            assertThat(dead)
                    .extracting(d -> d.getValue().array())
                    .containsExactlyInAnyOrderElementsOf(bad);
            assertThat(dead)
                    .allSatisfy(
                            d -> {
                                assertThat(d.getSourceTopic())
                                        .isEqualTo(Topic.REQUESTS.defaultName());
                                assertThat(d.getReason()).isNotBlank();
                            });
            assertThat(dead)
                    .extracting(DeadLetter::getReason)
                    .anyMatch(r -> r.contains("negative token count"));
            // The good telemetry went on through the job.
            assertThat(
                            TopicReader.readAll(
                                    stack.bootstrapServers(),
                                    Topic.INSTANCE_SIGNALS.defaultName(),
                                    InstanceSignal.class))
                    .isNotEmpty();
        }
    }

    private static InstanceSignal signal() {
        return TestRecords.instanceSignal("x", 0, 5_000)
                .setRole(io.chiron.records.InstanceRole.MIXED)
                .setBatchCap(1)
                .build();
    }
}
