package io.chiron.app;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Quiet by default (Kafka and Flink log a lot at INFO); {@code --verbose} shows it all. */
final class Logging {
    private Logging() {}

    static void configure(boolean verbose) {
        if (verbose) {
            Configurator.setRootLevel(Level.INFO);
            Configurator.setLevel("io.chiron", Level.INFO);
        }
    }

    /** Turns the loggers under these names off. */
    static void silence(String... names) {
        for (String n : names) {
            Configurator.setLevel(n, Level.OFF);
        }
    }
}
