package io.chiron.sql.format;

import io.chiron.records.Topic;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code 'format' = 'chiron-avro'}: reads a Chiron topic with the Avro schema its records were
 * written with ({@code schemas/}), named by {@code 'chiron-avro.record'}, instead of a schema
 * derived from the DDL as Flink's {@code avro} format does. Our records carry enums (written as
 * their index) that a derived schema would read as strings and fail on; here an enum reads as its
 * symbol into a STRING column. The table's columns are matched to the schema's fields by name (a
 * table may declare fewer, in any order) and their types are checked when the table is planned, so
 * a DDL out of step with the schema fails with the column's name, not on the first record.
 */
public final class ChironAvroFormatFactory implements DeserializationFormatFactory {
    public static final String IDENTIFIER = "chiron-avro";

    public static final ConfigOption<String> RECORD =
            ConfigOptions.key("record")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The record the topic holds, by its schema's name: "
                                    + String.join(", ", recordNames())
                                    + ".");

    public static final ConfigOption<Boolean> IGNORE_PARSE_ERRORS =
            ConfigOptions.key("ignore-parse-errors")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Skip records that do not decode instead of failing the query (the job"
                                    + " dead-letters such records on the telemetry topics).");

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(RECORD);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(IGNORE_PARSE_ERRORS);
    }

    @Override
    public DecodingFormat<DeserializationSchema<RowData>> createDecodingFormat(
            DynamicTableFactory.Context context, ReadableConfig formatOptions) {
        FactoryUtil.validateFactoryOptions(this, formatOptions);
        Schema writer = schemaOf(formatOptions.get(RECORD));
        boolean ignoreParseErrors = formatOptions.get(IGNORE_PARSE_ERRORS);
        return new DecodingFormat<>() {
            @Override
            public DeserializationSchema<RowData> createRuntimeDecoder(
                    DynamicTableSource.Context ctx, DataType physicalDataType) {
                RowType rowType = (RowType) physicalDataType.getLogicalType();
                Schema reader = SchemaCheck.readerSchema(writer, rowType);
                TypeInformation<RowData> producedType = ctx.createTypeInformation(physicalDataType);
                return new ChironAvroDeserializationSchema(
                        writer, reader, rowType, producedType, ignoreParseErrors);
            }

            @Override
            public ChangelogMode getChangelogMode() {
                return ChangelogMode.insertOnly();
            }
        };
    }

    /** The schema of one of our records, by its simple name. */
    static Schema schemaOf(String record) {
        for (Topic t : Topic.values()) {
            if (t.recordType().getSimpleName().equals(record)) {
                return SpecificData.get().getSchema(t.recordType());
            }
        }
        throw new ValidationException(
                String.format(
                        "'%s.%s' = '%s' is not a Chiron record; allowed: %s",
                        IDENTIFIER, RECORD.key(), record, String.join(", ", recordNames())));
    }

    private static java.util.List<String> recordNames() {
        return Arrays.stream(Topic.values())
                .map(t -> t.recordType().getSimpleName())
                .collect(Collectors.toList());
    }
}
