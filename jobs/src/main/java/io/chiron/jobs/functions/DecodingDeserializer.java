package io.chiron.jobs.functions;

import io.chiron.jobs.records.Decoded;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.MalformedRecordException;
import io.chiron.records.RequestEvent;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;

/**
 * Decodes the Avro value of each Kafka record in the source, so that event time, and with it the
 * watermark, is known per partition (Flink's per-split watermarks): a subtask reading several
 * partitions unevenly, as it does when it catches up, no longer makes the slower partitions'
 * records late. A record that does not decode, is larger than the bound, fails {@link Validation}
 * or its {@link EventTimeGuard}, or throws while being looked at, becomes a dead letter with the
 * reason (whole, or its first {@code maxRecordBytes} when larger), which {@link DeadLetterRouter}
 * counts and sends on; the source never fails on a record.
 */
public final class DecodingDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Decoded<T>> {
    private static final long serialVersionUID = 1L;

    /** Largest record value decoded by default, in bytes (a request event is about 150). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024;

    private final Class<T> type;
    private final Validation validation;
    private final EventTimeGuard timeGuard;
    private final int maxRecordBytes;
    private transient AvroCodec<T> codec;

    public DecodingDeserializer(Class<T> type) {
        this(
                type,
                Validation.defaults(),
                new EventTimeGuard(
                        EventTimeGuard.DEFAULT_MAX_AHEAD, EventTimeGuard.DEFAULT_CONFIRM),
                DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @param timeGuard this source reader's guard of event time (a copy per reader: it is
     *     serialized with the schema)
     * @param maxRecordBytes a larger value is a dead letter without being decoded
     */
    public DecodingDeserializer(
            Class<T> type, Validation validation, EventTimeGuard timeGuard, int maxRecordBytes) {
        this.type = type;
        this.validation = validation;
        this.timeGuard = timeGuard;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = AvroCodec.of(type);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Decoded<T>> out) {
        out.collect(decode(r));
    }

    /** The record decoded, or the dead letter it is. */
    Decoded<T> decode(ConsumerRecord<byte[], byte[]> r) {
        byte[] value = r.value();
        if (value != null && value.length > maxRecordBytes) {
            return reject(
                    r,
                    "record of "
                            + value.length
                            + " bytes is larger than chiron.limits.max-record-bytes ("
                            + maxRecordBytes
                            + "); its first "
                            + maxRecordBytes
                            + " bytes kept",
                    null);
        }
        T record;
        String invalid;
        try {
            record = codec.decode(value);
            invalid = validation.check(record, r.timestamp());
            if (invalid == null && record instanceof RequestEvent e) {
                invalid = timeGuard.check(e.getTsMs());
            } else if (invalid == null && record instanceof InstanceHeartbeat h) {
                invalid = timeGuard.check(h.getTsMs());
            }
        } catch (MalformedRecordException e) {
            return reject(r, e.getMessage(), e.getCause() == null ? null : e.getCause().toString());
        } catch (RuntimeException e) {
            // A poison pill: whatever it is, it costs this record, not the job.
            return reject(r, "the record could not be read", e.toString());
        }
        return invalid == null ? Decoded.of(record) : reject(r, invalid, null);
    }

    private Decoded<T> reject(ConsumerRecord<byte[], byte[]> r, String reason, String error) {
        return Decoded.rejected(
                DeadLetter.newBuilder()
                        .setSourceTopic(r.topic())
                        .setPartition(r.partition())
                        .setOffset(r.offset())
                        .setTsMs(r.timestamp())
                        .setKey(bounded(r.key()))
                        .setValue(bounded(r.value()))
                        .setReason(reason)
                        .setError(error)
                        .build());
    }

    /** The bytes, or their first {@code maxRecordBytes}: a dead letter must fit its topic. */
    private ByteBuffer bounded(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, maxRecordBytes)).slice();
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return Decoded.typeOf(type);
    }
}
