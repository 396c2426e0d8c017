package io.chiron.embedded;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedStackITCase {

    @Test
    void runsKafkaAndFlinkOnLoopbackAndCleansUp() throws Exception {
        Path logDir;
        try (EmbeddedStack stack = EmbeddedStack.start(2, Map.of("t", 1))) {
            logDir = stack.kafka().logDir();
            assertThat(stack.bootstrapServers()).startsWith("127.0.0.1:");
            assertThat(Files.isDirectory(logDir)).isTrue();

            try (var producer =
                    new KafkaProducer<>(
                            Map.<String, Object>of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    stack.bootstrapServers()),
                            new StringSerializer(),
                            new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", "k", "hello")).get();
            }
            try (var consumer =
                    new KafkaConsumer<>(
                            Map.<String, Object>of(
                                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    stack.bootstrapServers()),
                            new StringDeserializer(),
                            new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("t", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(10));
                assertThat(records.records(tp)).extracting(r -> r.value()).containsExactly("hello");
            }

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.fromSequence(1, 1000)
                    .map(x -> x * 2)
                    .returns(Long.class)
                    .sinkTo(new DiscardingSink<>());
            JobID job = stack.flink().submit(env, "trivial");
            assertThat(stack.flink().result(job).get().isSuccess()).isTrue();
            assertThat(stack.flink().status(job)).isEqualTo(JobStatus.FINISHED);
        }
        assertThat(Files.exists(logDir)).as("broker files removed").isFalse();
    }
}
