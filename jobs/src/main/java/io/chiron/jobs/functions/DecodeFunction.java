package io.chiron.jobs.functions;

import io.chiron.jobs.records.KafkaRecord;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.MalformedRecordException;
import io.chiron.records.RequestEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.apache.avro.specific.SpecificRecordBase;

import java.nio.ByteBuffer;

/**
 * Decodes the Avro value of a Kafka record. A record that does not decode, is larger than the
 * bound, fails {@link Validation} or its {@link EventTimeGuard}, or throws while being looked at,
 * goes with the reason to the {@link #DEAD_LETTERS} side output (whole, or its first {@code
 * maxRecordBytes} when larger) and is counted; the job keeps running.
 */
public final class DecodeFunction<T extends SpecificRecordBase>
        extends ProcessFunction<KafkaRecord, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** Largest record value decoded by default, in bytes (a request event is about 150). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024;

    private final Class<T> type;
    private final Validation validation;
    private final EventTimeGuard timeGuard;
    private final int maxRecordBytes;
    private transient AvroCodec<T> codec;
    private transient Counter deadLetters;

    public DecodeFunction(Class<T> type) {
        this(
                type,
                Validation.defaults(),
                new EventTimeGuard(
                        EventTimeGuard.DEFAULT_MAX_AHEAD, EventTimeGuard.DEFAULT_CONFIRM),
                DEFAULT_MAX_RECORD_BYTES);
    }

    /**
     * @param timeGuard this subtask's guard of event time (a copy per subtask: it is serialized
     *     with the function)
     * @param maxRecordBytes a larger value is a dead letter without being decoded
     */
    public DecodeFunction(
            Class<T> type, Validation validation, EventTimeGuard timeGuard, int maxRecordBytes) {
        this.type = type;
        this.validation = validation;
        this.timeGuard = timeGuard;
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(OpenContext context) {
        codec = AvroCodec.of(type);
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(KafkaRecord r, Context ctx, Collector<T> out) {
        if (r.value != null && r.value.length > maxRecordBytes) {
            reject(
                    r,
                    "record of "
                            + r.value.length
                            + " bytes is larger than chiron.limits.max-record-bytes ("
                            + maxRecordBytes
                            + "); its first "
                            + maxRecordBytes
                            + " bytes kept",
                    null,
                    ctx);
            return;
        }
        T record;
        String invalid;
        try {
            record = codec.decode(r.value);
            invalid = validation.check(record, r.timestamp);
            if (invalid == null && record instanceof RequestEvent e) {
                invalid = timeGuard.check(e.getTsMs());
            } else if (invalid == null && record instanceof InstanceHeartbeat h) {
                invalid = timeGuard.check(h.getTsMs());
            }
        } catch (MalformedRecordException e) {
            reject(r, e.getMessage(), e.getCause() == null ? null : e.getCause().toString(), ctx);
            return;
        } catch (RuntimeException e) {
            // A poison pill: whatever it is, it costs this record, not the job.
            reject(r, "the record could not be read", e.toString(), ctx);
            return;
        }
        if (invalid != null) {
            reject(r, invalid, null, ctx);
            return;
        }
        out.collect(record);
    }

    private void reject(KafkaRecord r, String reason, String error, Context ctx) {
        deadLetters.inc();
        ctx.output(
                DEAD_LETTERS,
                DeadLetter.newBuilder()
                        .setSourceTopic(r.topic)
                        .setPartition(r.partition)
                        .setOffset(r.offset)
                        .setTsMs(r.timestamp)
                        .setKey(bounded(r.key))
                        .setValue(bounded(r.value))
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
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
