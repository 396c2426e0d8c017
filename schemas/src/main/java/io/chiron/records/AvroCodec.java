package io.chiron.records;

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

/**
 * Binary Avro encoding of one record type, without a schema registry: writer and reader share the
 * schema in {@code schemas/}, and evolution is checked by the compatibility test.
 *
 * <p>Not thread-safe: it reuses its encoder, decoder and buffer. Make one per thread.
 */
public final class AvroCodec<T extends SpecificRecord> {
    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    private AvroCodec(Class<T> type) {
        AvroTrust.install();
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
        this.reader = new SpecificDatumReader<>(schema);
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
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        try {
            T record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MalformedRecordException(
                        "trailing bytes after a complete " + type.getSimpleName());
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
