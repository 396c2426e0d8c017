package io.chiron.fleet.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceTest {

    @Test
    void loadsTheShippedConversationTrace() {
        Trace t = Trace.load("azure-conv");
        // shared/data/traces/README.md: 19,366 requests, 18:15:46.68 -> 19:14:08.40 (3,501.7 s).
        assertThat(t.size()).isEqualTo(19_366);
        assertThat(t.start()).isEqualTo(Instant.parse("2023-11-16T18:15:46.680Z"));
        assertThat(t.durationMs()).isBetween(3_501_600L, 3_501_800L);
        assertThat(t.promptTokens(0)).isEqualTo(374);
        assertThat(t.outputTokens(0)).isEqualTo(44);
    }

    @Test
    void loadsTheShippedCodeTrace() {
        assertThat(Trace.load("azure-code").size()).isEqualTo(8_819);
    }

    @Test
    void readsMooncakeJsonLinesIgnoringOtherFields(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.jsonl");
        Files.writeString(
                file,
                """
                {"timestamp": 2000, "input_length": 10, "output_length": 3, "hash_ids": [1, 2]}
                {"timestamp": 0, "input_length": 7, "output_length": 5}
                """);
        Trace t = Trace.load(file.toString());
        assertThat(t.size()).isEqualTo(2);
        // Sorted by time: the request at 0 ms comes first.
        assertThat(t.promptTokens(0)).isEqualTo(7);
        assertThat(t.offsetMs(1)).isEqualTo(2000);
    }

    @Test
    void rejectsAnUnknownFormatSayingWhatIsExpected() {
        assertThatThrownBy(() -> Trace.parse("x.txt", reader("time;in;out\n1;2;3\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.txt")
                .hasMessageContaining("TIMESTAMP,ContextTokens,GeneratedTokens")
                .hasMessageContaining("input_length");
    }

    @Test
    void rejectsABadRowNamingItsLine() {
        String csv =
                "TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.6805900,10,5\n2023-11-16 18:15:47,ten,5\n";
        assertThatThrownBy(() -> Trace.parse("t.csv", reader(csv)))
                .hasMessageContaining("t.csv line 3");
    }

    @Test
    void rejectsNonPositiveTokenCounts() {
        String jsonl = "{\"timestamp\": 0, \"input_length\": 0, \"output_length\": 5}\n";
        assertThatThrownBy(() -> Trace.parse("t.jsonl", reader(jsonl)))
                .hasMessageContaining("line 1")
                .hasMessageContaining(">= 1");
    }

    @Test
    void rejectsAMissingFile() {
        assertThatThrownBy(() -> Trace.load("no-such-trace"))
                .hasMessageContaining("azure-code")
                .hasMessageContaining("azure-conv");
    }

    private static BufferedReader reader(String s) {
        return new BufferedReader(new StringReader(s));
    }

    @Test
    void aTimeWindowStartsPartWayIn() {
        Trace t = Trace.load("azure-conv");
        Trace later = t.from(1_800_000);
        assertThat(later.offsetMs(0)).isZero();
        assertThat(later.start()).isAfterOrEqualTo(t.start().plusSeconds(1800));
        assertThat(later.size()).isLessThan(t.size()).isGreaterThan(t.size() / 3);
        assertThatThrownBy(() -> t.from(10_000_000))
                .hasMessageContaining("no requests after 10000 s");
    }
}
