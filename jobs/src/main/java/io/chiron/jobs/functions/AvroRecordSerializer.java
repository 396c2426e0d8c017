package io.chiron.jobs.functions;

import io.chiron.records.AvroCodec;
import io.chiron.records.AvroTrust;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/** Writes Avro records to a topic, keyed by a field, timestamped with their event time. */
public final class AvroRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private final Class<T> type;
    private final SerializableFunction<T, String> key;
    private transient AvroCodec<T> codec;

    public AvroRecordSerializer(String topic, Class<T> type, SerializableFunction<T, String> key) {
        this.topic = topic;
        this.type = type;
        this.key = key;
    }

    @Override
    public void open(
            org.apache.flink.api.common.serialization.SerializationSchema.InitializationContext
                    context,
            KafkaSinkContext sinkContext) {
        AvroTrust.install(); // before any record of ours reaches this sink's task
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = AvroCodec.of(type);
        }
        String k = key.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                codec.encode(element));
    }
}
