package io.chiron.jobs.functions;

import io.chiron.jobs.records.KafkaRecord;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.MalformedRecordException;

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
 * Decodes the Avro value of a Kafka record. A record that does not decode goes, whole and with the
 * reason, to the {@link #DEAD_LETTERS} side output and is counted; the job keeps running.
 */
public final class DecodeFunction<T extends SpecificRecordBase>
        extends ProcessFunction<KafkaRecord, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private final Class<T> type;
    private transient AvroCodec<T> codec;
    private transient Counter deadLetters;

    public DecodeFunction(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(OpenContext context) {
        codec = AvroCodec.of(type);
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(KafkaRecord r, Context ctx, Collector<T> out) {
        T record;
        try {
            record = codec.decode(r.value);
        } catch (MalformedRecordException e) {
            reject(r, e.getMessage(), e.getCause() == null ? null : e.getCause().toString(), ctx);
            return;
        }
        String invalid = Validation.check(record, r.timestamp);
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
                        .setKey(r.key == null ? null : ByteBuffer.wrap(r.key))
                        .setValue(r.value == null ? null : ByteBuffer.wrap(r.value))
                        .setReason(reason)
                        .setError(error)
                        .build());
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
