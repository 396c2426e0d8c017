package io.chiron.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way Chiron reads a duration, on the command line and in configuration alike: a sum of
 * parts with units (ms, s, m or min, h, d), spaces allowed and decimals too ("90s", "5 s", "2 min",
 * "1h30m", "0.5s"), or ISO-8601 ("PT1H30M").
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|min|s|m|h|d)");

    /** What a value must look like, for error messages. */
    public static final String ALLOWED = "a duration such as 500ms, 5s, 2min, 1h30m or PT5S";

    private Durations() {}

    /**
     * @throws IllegalArgumentException when {@code value} is not a duration (the message says what
     *     is)
     */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (v.startsWith("p")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw bad(value);
            }
        }
        Matcher m = PART.matcher(v);
        int at = 0;
        double ms = 0;
        while (m.find()) {
            if (m.start() != at) {
                throw bad(value);
            }
            double n = Double.parseDouble(m.group(1));
            ms +=
                    switch (m.group(2)) {
                        case "ms" -> n;
                        case "s" -> n * 1_000;
                        case "m", "min" -> n * 60_000;
                        case "h" -> n * 3_600_000;
                        default -> n * 86_400_000;
                    };
            at = m.end();
        }
        if (at == 0 || at != v.length()) {
            throw bad(value);
        }
        return Duration.ofMillis(Math.round(ms));
    }

    private static IllegalArgumentException bad(String value) {
        return new IllegalArgumentException("'" + value + "' is not " + ALLOWED);
    }
}
