package io.chiron.records;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of one Avro record type. Throws {@link MalformedRecordException} on bad bytes;
 * consumers that must survive bad input read bytes and decode with {@link AvroCodec} themselves.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final ThreadLocal<AvroCodec<T>> codec;

    public AvroDeserializer(Class<T> type) {
        this.codec = ThreadLocal.withInitial(() -> AvroCodec.of(type));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return codec.get().decode(data);
    }
}
