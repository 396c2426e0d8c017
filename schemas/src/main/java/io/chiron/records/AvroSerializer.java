package io.chiron.records;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer of one Avro record type (plain binary Avro, no registry). */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final ThreadLocal<AvroCodec<T>> codec;

    public AvroSerializer(Class<T> type) {
        this.codec = ThreadLocal.withInitial(() -> AvroCodec.of(type));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : codec.get().encode(data);
    }
}
