package io.chiron.app;

import io.chiron.records.ScalingDecision;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes summary.json (DESIGN.md §5). */
final class Summaries {
    private Summaries() {}

    /** One JSON object per line: every decision with its id, reason and inputs. */
    static Path writeDecisions(Path dir, List<ScalingDecision> decisions) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("decisions.jsonl");
        try (var out = Files.newBufferedWriter(file)) {
            for (ScalingDecision d : decisions) {
                out.write(d.toString()); // Avro's toString is JSON
                out.newLine();
            }
        }
        return file;
    }

    static Path write(Path dir, Map<String, Object> summary) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("summary.json");
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), summary);
        return file;
    }
}
