package io.chiron.jobs.functions;

import io.chiron.jobs.records.Decoded;
import io.chiron.records.DeadLetter;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.apache.avro.specific.SpecificRecordBase;

/**
 * Chained to the source: passes on what {@link DecodingDeserializer} decoded and sends what it
 * refused to the {@link #DEAD_LETTERS} side output, counted ({@code deadLetters}), stamped with its
 * Kafka timestamp.
 */
public final class DeadLetterRouter<T extends SpecificRecordBase>
        extends ProcessFunction<Decoded<T>, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private final Class<T> type;
    private transient Counter deadLetters;

    public DeadLetterRouter(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(OpenContext context) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Decoded<T> d, Context ctx, Collector<T> out) {
        if (d.deadLetter != null) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, d.deadLetter);
        } else {
            out.collect(d.value);
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
