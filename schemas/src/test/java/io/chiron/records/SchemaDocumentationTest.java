package io.chiron.records;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Schemas are the contract users read first: every record, enum and field says what it is. */
class SchemaDocumentationTest {

    @Test
    void everyRecordEnumAndFieldHasADoc() {
        List<String> undocumented = new ArrayList<>();
        for (Schema schema :
                SchemaCompatibilityTest.parseRelease(Path.of("src/main/avro")).values()) {
            if (isBlank(schema.getDoc())) {
                undocumented.add(schema.getFullName());
            }
            if (schema.getType() == Schema.Type.RECORD) {
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getName() + "." + field.name());
                    }
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }

    @Test
    void everyTopicCarriesADocumentedRecord() {
        for (Topic topic : Topic.values()) {
            Schema schema =
                    org.apache.avro.specific.SpecificData.get().getSchema(topic.recordType());
            assertThat(schema.getDoc()).as(topic.defaultName()).isNotBlank();
            assertThat(topic.defaultName()).startsWith("chiron.");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
