package io.chiron.jobs.records;

import io.chiron.records.DeadLetter;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import org.apache.avro.specific.SpecificRecordBase;

import java.util.Map;

/**
 * A Kafka record as the source decoded it: its value, or the dead letter it became (exactly one of
 * the two is set). Decoding in the source lets each partition keep its own watermark.
 */
public final class Decoded<T> {
    public T value;
    public DeadLetter deadLetter;

    public Decoded() {}

    public static <T> Decoded<T> of(T value) {
        Decoded<T> d = new Decoded<>();
        d.value = value;
        return d;
    }

    public static <T> Decoded<T> rejected(DeadLetter deadLetter) {
        Decoded<T> d = new Decoded<>();
        d.deadLetter = deadLetter;
        return d;
    }

    /** A POJO of two Avro fields: no Kryo. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> TypeInformation<Decoded<T>> typeOf(Class<T> type) {
        return (TypeInformation<Decoded<T>>)
                (TypeInformation<?>)
                        Types.POJO(
                                Decoded.class,
                                Map.of(
                                        "value",
                                        new AvroTypeInfo<>(type),
                                        "deadLetter",
                                        new AvroTypeInfo<>(DeadLetter.class)));
    }
}
