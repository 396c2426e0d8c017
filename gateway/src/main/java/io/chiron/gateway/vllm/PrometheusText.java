package io.chiron.gateway.vllm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Prometheus' text exposition format (0.0.4, what vLLM's {@code /metrics} serves): one sample
 * per line, {@code name{label="value",…} value [timestamp]}, comments and blank lines skipped. A
 * line that does not parse is skipped too, and counted: a scrape is not lost to one odd line. The
 * Prometheus Java client writes this format but does not read it, hence this reader.
 */
public final class PrometheusText {
    /** One sample. */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    private final List<Sample> samples;
    private final int skipped;

    private PrometheusText(List<Sample> samples, int skipped) {
        this.samples = samples;
        this.skipped = skipped;
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Lines that were neither samples nor comments. */
    public int skipped() {
        return skipped;
    }

    public static PrometheusText parse(String text) {
        List<Sample> out = new ArrayList<>();
        int skipped = 0;
        int start = 0;
        int n = text.length();
        while (start < n) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            String line = text.substring(start, end).strip();
            start = end + 1;
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            Sample s = line(line);
            if (s == null) {
                skipped++;
            } else {
                out.add(s);
            }
        }
        return new PrometheusText(out, skipped);
    }

    private static Sample line(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        if (name.isEmpty()) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                while (i < n && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
                    i++;
                }
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0 || eq + 1 >= n || line.charAt(eq + 1) != '"') {
                    return null;
                }
                String key = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (j < n && line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\' && j + 1 < n) {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                if (j >= n) {
                    return null;
                }
                labels.put(key, value.toString());
                i = j + 1;
            }
        }
        String rest = line.substring(Math.min(i, n)).strip();
        int space = rest.indexOf(' ');
        String number = space < 0 ? rest : rest.substring(0, space);
        double value;
        try {
            value =
                    switch (number) {
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        case "NaN" -> Double.NaN;
                        default -> Double.parseDouble(number);
                    };
        } catch (NumberFormatException e) {
            return null;
        }
        return new Sample(name, labels, value);
    }
}
