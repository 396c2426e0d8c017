package io.chiron.records;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every schema change must stay backward compatible with every released version. */
class SchemaCompatibilityTest {
    private static final Path RELEASED = Path.of("released");

    static Stream<Path> releases() throws IOException {
        try (Stream<Path> dirs = Files.list(RELEASED)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("releases")
    void currentSchemasReadEveryReleasedVersion(Path release) {
        Map<String, Schema> released = parseRelease(release);
        assertThat(released).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Schema old : released.values()) {
            Schema current = currentSchema(old.getFullName());
            if (current == null) {
                problems.add(old.getFullName() + " was removed");
                continue;
            }
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                problems.add(old.getFullName() + ": " + result.getResult().getIncompatibilities());
            }
        }
        assertThat(problems).as("incompatible with release %s", release.getFileName()).isEmpty();
    }

    @Test
    void detectsAFieldAddedWithoutDefault() {
        // Guards the guard: the check above must be able to fail.
        Schema old = RequestEvent.getClassSchema();
        String json = old.toString();
        String broken =
                json.replaceFirst(
                        "\"fields\":\\[", "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},");
        Schema changed = new Schema.Parser().parse(broken);
        var result = SchemaCompatibility.checkReaderWriterCompatibility(changed, old);
        assertThat(result.getType()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    @Test
    void releasedVersionsAreKept() throws IOException {
        assertThat(releases()).extracting(p -> p.getFileName().toString()).contains("0.1.0");
    }

    private static Schema currentSchema(String fullName) {
        try {
            return SpecificData.get().getSchema(Class.forName(fullName));
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** Parses a release folder: enums first, then records in an order that resolves references. */
    static Map<String, Schema> parseRelease(Path release) {
        try (Stream<Path> files = Files.walk(release)) {
            List<Path> pending =
                    new ArrayList<>(
                            files.filter(p -> p.toString().endsWith(".avsc"))
                                    .sorted(Comparator.comparing(Path::toString))
                                    .toList());
            Map<String, Schema> parsed = new LinkedHashMap<>();
            // Parse what resolves, repeat until nothing is left; a file that never resolves fails.
            // Each attempt uses a fresh parser so a failed attempt leaves no half-defined names.
            while (!pending.isEmpty()) {
                int before = pending.size();
                for (var it = pending.iterator(); it.hasNext(); ) {
                    Path file = it.next();
                    Schema.Parser parser = new Schema.Parser();
                    parser.addTypes(parsed.values());
                    try {
                        Schema schema = parser.parse(file.toFile());
                        parsed.put(schema.getFullName(), schema);
                        it.remove();
                    } catch (AvroRuntimeException unresolved) {
                        // depends on a type not parsed yet
                    }
                }
                if (pending.size() == before) {
                    throw new IllegalStateException(
                            "unresolvable schemas in " + release + ": " + pending);
                }
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
