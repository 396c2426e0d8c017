package io.chiron.records;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.util.Arrays;

/**
 * Binary Avro encoding of one record type, without a schema registry: writer and reader share the
 * schema in {@code schemas/}, and evolution is checked by the compatibility test.
 *
 * <p>Decoding takes the generated classes' own code ({@code customDecode}, Avro's "custom coders")
 * rather than Avro's generic fast reader, which boxes every number through {@code put(int,
 * Object)}, and creates the record through a constructor looked up once. It reads from a copy of
 * the bytes followed by {@link #PAD} zeros: Avro's decoder, within ten bytes of the end of an
 * array, copies what is left into a new array on every record. Together about 1.2x the records/s of
 * Avro's defaults on request events (see README, "Performance").
 *
 * <p>Not thread-safe: it reuses its encoder, decoder and buffers. Make one per thread.
 */
public final class AvroCodec<T extends SpecificRecord> {
    /** Zeros after the record: more than the ten bytes a varint read looks ahead. */
    static final int PAD = 16;

    /** The largest copy kept between records; a larger record gets a copy of its own. */
    private static final int MAX_KEPT = 64 * 1024;

    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private byte[] padded = new byte[512];
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    private AvroCodec(Class<T> type) {
        AvroTrust.install();
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        SpecificData model = new GeneratedCode<>(type, schema);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
    }

    /** Avro's data model, told to use the generated classes' own encode and decode. */
    private static final class GeneratedCode<T> extends SpecificData {
        private final Schema schema;
        private final Constructor<T> constructor;

        GeneratedCode(Class<T> type, Schema schema) {
            super(type.getClassLoader());
            this.schema = schema;
            setCustomCoders(true);
            setFastReaderEnabled(false);
            try {
                this.constructor = type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type + " is not a generated Avro record", e);
            }
        }

        @Override
        public Object newRecord(Object old, Schema s) {
            if (old != null || s != schema) {
                return super.newRecord(old, s); // a nested record, or one to reuse
            }
            try {
                return constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new AvroRuntimeException(e);
            }
        }
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes one record.
     *
     * @throws MalformedRecordException when the bytes are not a record of this schema, including
     *     trailing bytes after a complete record (a sign of a different schema)
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedRecordException(
                    "null value, expected an Avro " + type.getSimpleName());
        }
        int length = bytes.length;
        byte[] copy = padded;
        if (length + PAD > copy.length) {
            copy = new byte[Math.max(length + PAD, 2 * copy.length)];
            if (copy.length <= MAX_KEPT) {
                padded = copy;
            }
        }
        System.arraycopy(bytes, 0, copy, 0, length);
        Arrays.fill(copy, length, length + PAD, (byte) 0);
        decoder = DecoderFactory.get().binaryDecoder(copy, 0, length + PAD, decoder);
        try {
            T record = reader.read(null, decoder);
            // What is left of the padded bytes: the zeros alone, or the record was longer
            // (trailing bytes) or shorter (it ended inside its fields, which read the zeros).
            int left = decoder.inputStream().available();
            if (left > PAD) {
                throw new MalformedRecordException(
                        "trailing bytes after a complete " + type.getSimpleName());
            }
            if (left < PAD) {
                throw new MalformedRecordException(
                        "not a valid Avro "
                                + type.getSimpleName()
                                + ": the bytes end before its last field");
            }
            return record;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRecordException m) {
                throw m;
            }
            throw new MalformedRecordException(
                    "not a valid Avro " + type.getSimpleName() + ": " + e, e);
        }
    }
}
