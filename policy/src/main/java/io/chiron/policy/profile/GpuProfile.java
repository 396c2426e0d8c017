package io.chiron.policy.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A measured GPU latency profile: prefill and decode-step latencies at measured batch sizes and
 * lengths ({@code phase,batch_size,context_tokens,prompt_tokens,latency_ms}), plus the memory
 * figures that bound the KV cache (a {@code .properties} file beside the CSV).
 *
 * <p>Where the CSV has CUDA-graph rows ({@code decode_cudagraph}, {@code prefill_cudagraph}) only
 * those are used: they are the GPU-bound times a vLLM-like engine achieves. Otherwise the plain
 * {@code decode}/{@code prefill} rows are used.
 */
public final class GpuProfile {
    /** The profile shipped with Chiron: an H100 running a Llama-3-8B-shaped model. */
    public static final String DEFAULT = "h100-llama3-8b";

    /** One measured point. */
    public record Row(
            String phase, int batchSize, int contextTokens, int promptTokens, double latencyMs) {
        public boolean isDecode() {
            return phase.startsWith("decode");
        }
    }

    private final String name;
    private final List<Row> decode;
    private final List<Row> prefill;
    private final Properties memory;

    private GpuProfile(String name, List<Row> rows, Properties memory) {
        this.name = name;
        boolean graphs = rows.stream().anyMatch(r -> r.phase().endsWith("_cudagraph"));
        List<Row> used =
                rows.stream().filter(r -> r.phase().endsWith("_cudagraph") == graphs).toList();
        this.decode = used.stream().filter(Row::isDecode).toList();
        this.prefill = used.stream().filter(r -> !r.isDecode()).toList();
        if (decode.isEmpty() || prefill.isEmpty()) {
            throw new IllegalArgumentException(
                    "profile "
                            + name
                            + " needs both decode and prefill rows, found "
                            + decode.size()
                            + " decode and "
                            + prefill.size()
                            + " prefill");
        }
        this.memory = memory;
    }

    /** Loads the shipped profile {@link #DEFAULT}. */
    public static GpuProfile shipped() {
        return load(DEFAULT);
    }

    /**
     * Loads a profile: a shipped profile by name, or a CSV file by path. A {@code .properties} file
     * of memory figures with the same base name is read where it exists; otherwise the shipped
     * profile's figures apply.
     */
    public static GpuProfile load(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        try {
            if (Files.isRegularFile(path)) {
                Path props = Path.of(path.toString().replaceFirst("\\.csv$", "") + ".properties");
                Properties memory =
                        Files.isRegularFile(props)
                                ? checkedMemory(readProperties(Files.newInputStream(props)), props)
                                : shippedMemory();
                try (Reader reader = Files.newBufferedReader(path)) {
                    return new GpuProfile(
                            path.getFileName().toString(), parse(reader, nameOrPath), memory);
                }
            }
            InputStream csv = resource(nameOrPath + ".csv");
            if (csv == null) {
                throw new IllegalArgumentException(
                        "no profile '"
                                + nameOrPath
                                + "': not a file, and not a shipped profile (shipped: "
                                + DEFAULT
                                + ")");
            }
            try (Reader reader = new InputStreamReader(csv, StandardCharsets.UTF_8)) {
                return new GpuProfile(
                        nameOrPath,
                        parse(reader, nameOrPath),
                        readProperties(resource(nameOrPath + ".properties")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A profile from CSV text, with the shipped profile's memory figures: for tests and for
     * profiles built in code.
     */
    public static GpuProfile fromCsv(String name, String csv) {
        try {
            return new GpuProfile(
                    name, parse(new java.io.StringReader(csv), name), shippedMemory());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String file) {
        return GpuProfile.class.getResourceAsStream("/profiles/" + file);
    }

    private static Properties shippedMemory() throws IOException {
        return readProperties(resource(DEFAULT + ".properties"));
    }

    /** Memory figures that must be positive numbers; the others are optional. */
    private static final List<String> REQUIRED_MEMORY =
            List.of("gpu_memory_bytes", "weights_bytes");

    private static final List<String> OPTIONAL_MEMORY =
            List.of(
                    "gpu_memory_utilization",
                    "non_torch_bytes",
                    "activation_peak_bytes",
                    "kv_bytes_per_token",
                    "swap_bytes_per_s");

    /** The memory figures of a profile, checked where they enter: each names its file and key. */
    static Properties checkedMemory(Properties p, Path file) {
        for (String key : REQUIRED_MEMORY) {
            if (p.getProperty(key) == null) {
                throw new IllegalArgumentException(
                        file + ": " + key + " is missing (a number of bytes, > 0)");
            }
        }
        for (String key : concat(REQUIRED_MEMORY, OPTIONAL_MEMORY)) {
            String v = p.getProperty(key);
            if (v == null) {
                continue;
            }
            double d;
            try {
                d = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        file + ": " + key + " = '" + v + "' is not a number");
            }
            boolean fraction = key.equals("gpu_memory_utilization");
            boolean ok =
                    Double.isFinite(d)
                            && (fraction ? d > 0 && d <= 1 : d >= 0)
                            && (!REQUIRED_MEMORY.contains(key) || d > 0);
            if (!ok) {
                throw new IllegalArgumentException(
                        file
                                + ": "
                                + key
                                + " = '"
                                + v
                                + "': must be "
                                + (fraction ? "in (0, 1]" : "a finite number >= 0"));
            }
        }
        return p;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Properties readProperties(InputStream in) throws IOException {
        Properties p = new Properties();
        try (in) {
            p.load(in);
        }
        return p;
    }

    static List<Row> parse(Reader reader, String source) throws IOException {
        List<Row> rows = new ArrayList<>();
        BufferedReader lines = new BufferedReader(reader);
        String header = lines.readLine();
        String expected = "phase,batch_size,context_tokens,prompt_tokens,latency_ms";
        if (header == null || !header.trim().toLowerCase(Locale.ROOT).startsWith(expected)) {
            throw new IllegalArgumentException(
                    source + ": expected the header '" + expected + "', found '" + header + "'");
        }
        String line;
        int number = 1;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            try {
                Row row =
                        new Row(
                                f[0].trim(),
                                Integer.parseInt(f[1].trim()),
                                Integer.parseInt(f[2].trim()),
                                Integer.parseInt(f[3].trim()),
                                Double.parseDouble(f[4].trim()));
                if (row.batchSize() <= 0
                        || !(row.latencyMs() > 0)
                        || !Double.isFinite(row.latencyMs())) {
                    throw new IllegalArgumentException(
                            "batch_size and latency_ms must be > 0 (and finite)");
                }
                if (row.contextTokens() < 0 || row.promptTokens() < 0) {
                    throw new IllegalArgumentException(
                            "context_tokens and prompt_tokens must be >= 0");
                }
                rows.add(row);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        source
                                + " line "
                                + number
                                + ": cannot read '"
                                + line
                                + "': "
                                + e.getMessage(),
                        e);
            }
        }
        return rows;
    }

    public String name() {
        return name;
    }

    public List<Row> decodeRows() {
        return decode;
    }

    public List<Row> prefillRows() {
        return prefill;
    }

    public long kvBytesPerToken() {
        return Long.parseLong(memory.getProperty("kv_bytes_per_token", "131072"));
    }

    /**
     * KV-cache capacity in tokens, as vLLM sizes it: the GPU memory it may use, less the weights,
     * the non-PyTorch memory and the activation peak, divided by the KV bytes per token.
     */
    public long kvCapacityTokens() {
        double total = Double.parseDouble(memory.getProperty("gpu_memory_bytes"));
        double utilization =
                Double.parseDouble(memory.getProperty("gpu_memory_utilization", "0.9"));
        double reserved =
                Double.parseDouble(memory.getProperty("weights_bytes"))
                        + Double.parseDouble(memory.getProperty("non_torch_bytes", "0"))
                        + Double.parseDouble(memory.getProperty("activation_peak_bytes", "0"));
        return (long) ((utilization * total - reserved) / kvBytesPerToken());
    }

    /** Host-device copy bandwidth for swapping preempted KV cache, bytes per second. */
    public double swapBytesPerSecond() {
        return Double.parseDouble(memory.getProperty("swap_bytes_per_s", "25000000000"));
    }
}
