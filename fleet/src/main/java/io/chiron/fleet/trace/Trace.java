package io.chiron.fleet.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A request trace: arrival offsets from the first request with prompt and output lengths, sorted by
 * arrival. Reads Azure LLM inference CSV ({@code TIMESTAMP,ContextTokens,GeneratedTokens}) and
 * Mooncake-style JSONL ({@code timestamp} in ms, {@code input_length}, {@code output_length}; other
 * fields ignored), told apart by their content.
 */
public final class Trace {
    /** The traces shipped inside Chiron, by name. */
    public static final Map<String, String> SHIPPED =
            Map.of(
                    "azure-conv", "AzureLLMInferenceTrace_conv.csv",
                    "azure-code", "AzureLLMInferenceTrace_code.csv");

    /** Where a trace without absolute timestamps starts: 2024-01-01T00:00:00Z. */
    static final long DEFAULT_EPOCH_MS = 1_704_067_200_000L;

    private static final DateTimeFormatter AZURE_TIME =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private final String name;
    private final long startEpochMs;
    private final long[] offsetMs;
    private final int[] promptTokens;
    private final int[] outputTokens;

    private Trace(String name, long startEpochMs, long[] offsetMs, int[] prompt, int[] output) {
        this.name = name;
        this.startEpochMs = startEpochMs;
        this.offsetMs = offsetMs;
        this.promptTokens = prompt;
        this.outputTokens = output;
    }

    /**
     * A shipped trace by name, a synthetic one ({@link SyntheticTraces}, seed 0), or a trace file
     * by path.
     */
    public static Trace load(String nameOrPath) {
        return load(nameOrPath, 0);
    }

    /**
     * A shipped trace by name, a synthetic one ({@link SyntheticTraces}), or a trace file by path;
     * a synthetic one drawn with {@code seed} (a run's seed), the others the same for every seed.
     */
    public static Trace load(String nameOrPath, long seed) {
        if (SyntheticTraces.NAMES.contains(nameOrPath)) {
            return SyntheticTraces.generate(nameOrPath, seed);
        }
        String shipped = SHIPPED.get(nameOrPath);
        try {
            if (shipped != null) {
                InputStream in = Trace.class.getResourceAsStream("/traces/" + shipped);
                if (in == null) {
                    throw new IllegalStateException(
                            "shipped trace missing from the jar: " + shipped);
                }
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    return parse(nameOrPath, r);
                }
            }
            Path path = Path.of(nameOrPath);
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException(
                        "trace '"
                                + nameOrPath
                                + "' is neither a shipped trace "
                                + SHIPPED.keySet().stream().sorted().toList()
                                + ", a synthetic one "
                                + SyntheticTraces.NAMES
                                + ", nor a readable file");
            }
            try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                return parse(path.getFileName().toString(), r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Trace parse(String name, BufferedReader reader) throws IOException {
        String first = reader.readLine();
        while (first != null && first.isBlank()) {
            first = reader.readLine();
        }
        if (first == null) {
            throw new IllegalArgumentException(name + ": empty trace");
        }
        if (first.trim().startsWith("{")) {
            return parseJsonl(name, first, reader);
        }
        if (first.trim().toUpperCase().startsWith("TIMESTAMP,")) {
            return parseAzure(name, first, reader);
        }
        throw new IllegalArgumentException(
                name
                        + ": unknown trace format; expected an Azure CSV header"
                        + " 'TIMESTAMP,ContextTokens,GeneratedTokens' or JSON lines with"
                        + " timestamp, input_length and output_length, found '"
                        + abbreviate(first)
                        + "'");
    }

    private static Trace parseAzure(String name, String header, BufferedReader reader)
            throws IOException {
        String[] columns = header.trim().split(",");
        int ts = indexOf(columns, "TIMESTAMP", name);
        int ctx = indexOf(columns, "ContextTokens", name);
        int gen = indexOf(columns, "GeneratedTokens", name);
        List<long[]> rows = new ArrayList<>();
        String line;
        int number = 1;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            try {
                long epochMs =
                        LocalDateTime.parse(f[ts].trim(), AZURE_TIME)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli();
                rows.add(
                        row(epochMs, Long.parseLong(f[ctx].trim()), Long.parseLong(f[gen].trim())));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        name
                                + " line "
                                + number
                                + ": cannot read '"
                                + abbreviate(line)
                                + "': "
                                + e.getMessage(),
                        e);
            }
        }
        return build(name, rows, true);
    }

    private static Trace parseJsonl(String name, String first, BufferedReader reader)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<long[]> rows = new ArrayList<>();
        String line = first;
        int number = 1;
        while (line != null) {
            if (!line.isBlank()) {
                try {
                    JsonNode node = json.readTree(line);
                    rows.add(
                            row(
                                    required(node, "timestamp").asLong(),
                                    required(node, "input_length").asLong(),
                                    required(node, "output_length").asLong()));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException(
                            name
                                    + " line "
                                    + number
                                    + ": cannot read '"
                                    + abbreviate(line)
                                    + "': "
                                    + e.getMessage(),
                            e);
                }
            }
            line = reader.readLine();
            number++;
        }
        return build(name, rows, false);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("missing numeric field '" + field + "'");
        }
        return v;
    }

    private static long[] row(long timeMs, long prompt, long output) {
        if (prompt < 1 || output < 1) {
            throw new IllegalArgumentException(
                    "prompt and output tokens must be >= 1, found " + prompt + " and " + output);
        }
        if (prompt > Integer.MAX_VALUE || output > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("token count out of range");
        }
        return new long[] {timeMs, prompt, output};
    }

    private static Trace build(String name, List<long[]> rows, boolean absoluteTime) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(name + ": no requests");
        }
        rows.sort(Comparator.comparingLong(r -> r[0]));
        long t0 = rows.get(0)[0];
        int n = rows.size();
        long[] offsets = new long[n];
        int[] prompt = new int[n];
        int[] output = new int[n];
        for (int i = 0; i < n; i++) {
            long[] r = rows.get(i);
            offsets[i] = r[0] - t0;
            prompt[i] = (int) r[1];
            output[i] = (int) r[2];
        }
        return new Trace(name, absoluteTime ? t0 : DEFAULT_EPOCH_MS, offsets, prompt, output);
    }

    /**
     * The part of this trace from {@code startMs} after its first request on, re-based to start
     * there: a time window of the trace.
     */
    public Trace from(long startMs) {
        if (startMs <= 0) {
            return this;
        }
        int first = 0;
        while (first < size() && offsetMs[first] < startMs) {
            first++;
        }
        if (first == size()) {
            throw new IllegalArgumentException(
                    name
                            + " has no requests after "
                            + startMs / 1000
                            + " s (it lasts "
                            + durationMs() / 1000
                            + " s)");
        }
        int n = size() - first;
        long[] offsets = new long[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = offsetMs[first + i] - offsetMs[first];
        }
        return new Trace(
                name + "@" + startMs / 1000 + "s",
                startEpochMs + offsetMs[first],
                offsets,
                java.util.Arrays.copyOfRange(promptTokens, first, size()),
                java.util.Arrays.copyOfRange(outputTokens, first, size()));
    }

    /** A trace from arrays already sorted by offset. */
    static Trace of(String name, long startEpochMs, long[] offsetMs, int[] prompt, int[] output) {
        return new Trace(name, startEpochMs, offsetMs, prompt, output);
    }

    private static int indexOf(String[] columns, String column, String name) {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].trim().equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                name
                        + ": Azure CSV without column "
                        + column
                        + " (header "
                        + Arrays.toString(columns)
                        + ")");
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    public String name() {
        return name;
    }

    /** Arrival time of the first request, epoch ms (2024-01-01 for traces of relative times). */
    public Instant start() {
        return Instant.ofEpochMilli(startEpochMs);
    }

    public long startEpochMs() {
        return startEpochMs;
    }

    public int size() {
        return offsetMs.length;
    }

    /** Offset of the last arrival from the first, ms. */
    public long durationMs() {
        return offsetMs[offsetMs.length - 1];
    }

    public long offsetMs(int i) {
        return offsetMs[i];
    }

    public int promptTokens(int i) {
        return promptTokens[i];
    }

    public int outputTokens(int i) {
        return outputTokens[i];
    }
}
