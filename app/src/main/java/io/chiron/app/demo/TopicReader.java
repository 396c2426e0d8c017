package io.chiron.app.demo;

import io.chiron.records.AvroCodec;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads a whole topic, from its beginning to its end offsets at the time of the call. */
public final class TopicReader {
    private TopicReader() {}

    public static <T extends SpecificRecord> List<T> readAll(
            String bootstrapServers, String topic, Class<T> type) {
        AvroCodec<T> codec = AvroCodec.of(type);
        List<T> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "chiron-reader-" + topic,
                                // The job writes its topics in transactions: committed only, up
                                // to the last stable offset.
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                "read_committed"),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records.add(codec.decode(r.value()));
                }
            }
        }
        return records;
    }

    /** Every partition of {@code topic}, as {@code consumer} sees it. */
    public static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    /**
     * Reads the topic until it holds a record, polling; for a caller that waits for a job to have
     * written (committed) its first output.
     *
     * @throws IllegalStateException when nothing is there within {@code timeout}
     */
    public static <T extends SpecificRecord> List<T> awaitAny(
            String bootstrapServers, String topic, Class<T> type, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<T> records = readAll(bootstrapServers, topic, type);
            if (!records.isEmpty()) {
                return records;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "nothing on " + topic + " within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200); // polling a topic, not synchronising threads
        }
    }
}
