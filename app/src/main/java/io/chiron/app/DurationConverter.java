package io.chiron.app;

import picocli.CommandLine;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people write them: 90s, 15m, 1h, 1h30m, 250ms, or ISO-8601 (PT1H). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.startsWith("pt") || v.startsWith("p")) {
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
                        case "m" -> n * 60_000;
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

    private static CommandLine.TypeConversionException bad(String value) {
        return new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration; write e.g. 90s, 15m, 1h, 1h30m or PT1H");
    }
}
