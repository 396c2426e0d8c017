package io.chiron.sql.format;

import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a table's physical columns against a record's Avro schema and derives the reader schema
 * that projects the record onto them (Avro's schema resolution matches fields by name).
 */
final class SchemaCheck {
    private SchemaCheck() {}

    /**
     * The reader schema for {@code columns}: the writer's fields of those names, in the columns'
     * order.
     *
     * @throws ValidationException naming the first column that the record lacks or types
     *     differently
     */
    static Schema readerSchema(Schema writer, RowType columns) {
        List<Schema.Field> fields = new ArrayList<>();
        for (RowType.RowField column : columns.getFields()) {
            Schema.Field field = writer.getField(column.getName());
            if (field == null) {
                throw new ValidationException(
                        String.format(
                                "column '%s' is not a field of %s; its fields: %s",
                                column.getName(),
                                writer.getName(),
                                writer.getFields().stream().map(Schema.Field::name).toList()));
            }
            LogicalType expected =
                    AvroSchemaConverter.convertToDataType(field.schema().toString())
                            .getLogicalType();
            String problem = compare(column.getType(), expected);
            if (problem != null) {
                throw new ValidationException(
                        String.format(
                                "column '%s' of type %s does not match field %s.%s (%s): %s",
                                column.getName(),
                                column.getType().asSummaryString(),
                                writer.getName(),
                                field.name(),
                                expected.asSummaryString(),
                                problem));
            }
            fields.add(new Schema.Field(field, field.schema()));
        }
        return Schema.createRecord(
                writer.getName(), writer.getDoc(), writer.getNamespace(), false, fields);
    }

    /** Why {@code declared} cannot hold values of {@code actual}, or null if it can. */
    static String compare(LogicalType declared, LogicalType actual) {
        boolean bothText =
                declared.is(LogicalTypeFamily.CHARACTER_STRING)
                        && actual.is(LogicalTypeFamily.CHARACTER_STRING);
        if (!bothText && declared.getTypeRoot() != actual.getTypeRoot()) {
            return "declare it " + actual.asSummaryString();
        }
        if (!declared.isNullable() && actual.isNullable()) {
            return "the field may be null: drop NOT NULL";
        }
        List<LogicalType> d = declared.getChildren();
        List<LogicalType> a = actual.getChildren();
        if (d.size() != a.size()) {
            return "declare it " + actual.asSummaryString();
        }
        if (declared instanceof RowType dr && actual instanceof RowType ar) {
            if (!dr.getFieldNames().equals(ar.getFieldNames())) {
                return "nested fields " + ar.getFieldNames() + ", in that order";
            }
        }
        for (int i = 0; i < d.size(); i++) {
            String problem = compare(d.get(i), a.get(i));
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
