package io.chiron.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes summary.json (DESIGN.md §5). */
final class Summaries {
    private Summaries() {}

    static Path write(Path dir, Map<String, Object> summary) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("summary.json");
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), summary);
        return file;
    }
}
