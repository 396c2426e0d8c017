package io.chiron.app;

import io.chiron.core.Durations;

import picocli.CommandLine;

import java.time.Duration;

/** Durations on the command line, read as the configuration reads them ({@link Durations}). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
