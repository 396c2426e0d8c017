package io.chiron.sql.format;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.AvroToRowDataConverters;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;

/** Decodes one Chiron record (binary Avro, its own schema) into a table row. */
final class ChironAvroDeserializationSchema implements DeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final String writerSchema;
    private final String readerSchema;
    private final RowType rowType;
    private final TypeInformation<RowData> producedType;
    private final boolean ignoreParseErrors;

    private transient GenericDatumReader<GenericRecord> reader;
    private transient AvroToRowDataConverters.AvroToRowDataConverter converter;
    private transient BinaryDecoder decoder;
    private transient GenericRecord reuse;

    ChironAvroDeserializationSchema(
            Schema writer,
            Schema reader,
            RowType rowType,
            TypeInformation<RowData> producedType,
            boolean ignoreParseErrors) {
        this.writerSchema = writer.toString();
        this.readerSchema = reader.toString();
        this.rowType = rowType;
        this.producedType = producedType;
        this.ignoreParseErrors = ignoreParseErrors;
    }

    @Override
    public void open(InitializationContext context) {
        Schema writer = new Schema.Parser().parse(writerSchema);
        Schema projected = new Schema.Parser().parse(readerSchema);
        reader = new GenericDatumReader<>(writer, projected);
        converter = AvroToRowDataConverters.createRowConverter(rowType);
    }

    @Override
    public RowData deserialize(byte[] message) throws IOException {
        if (message == null) {
            return null;
        }
        try {
            decoder = DecoderFactory.get().binaryDecoder(message, decoder);
            reuse = reader.read(reuse, decoder);
            if (!decoder.isEnd()) {
                throw new IOException(
                        "trailing bytes after a "
                                + reuse.getSchema().getName()
                                + ": another schema or a corrupt record");
            }
            return (RowData) converter.convert(reuse);
        } catch (IOException | RuntimeException e) {
            if (ignoreParseErrors) {
                return null;
            }
            throw new IOException(
                    "a record of "
                            + message.length
                            + " bytes does not decode as "
                            + new Schema.Parser().parse(writerSchema).getName()
                            + " ("
                            + e
                            + "); 'chiron-avro.ignore-parse-errors' = 'true' skips such records",
                    e);
        }
    }

    @Override
    public boolean isEndOfStream(RowData nextElement) {
        return false;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
