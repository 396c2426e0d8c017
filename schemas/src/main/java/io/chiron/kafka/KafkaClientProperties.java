package io.chiron.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka client settings from a properties file ({@code security.protocol}, {@code sasl.*}, {@code
 * ssl.*}, ...), for every client Chiron opens on a cluster. Secrets stay out of command lines: a
 * value may name an environment variable, {@code ${KAFKA_PASSWORD}}, replaced when the file is
 * read, and key stores are files already. Values are never printed: errors name the file, the key
 * and the variable, not the value.
 */
public final class KafkaClientProperties {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** Keys Chiron sets itself; a file that sets them is refused rather than silently ignored. */
    private static final java.util.Set<String> OWN =
            java.util.Set.of(
                    "bootstrap.servers",
                    "key.serializer",
                    "value.serializer",
                    "key.deserializer",
                    "value.deserializer",
                    "group.id",
                    "transactional.id",
                    "enable.auto.commit");

    private KafkaClientProperties() {}

    /** The settings of {@code file}, environment variables replaced. */
    public static Map<String, String> load(Path file) {
        return load(file, System::getenv);
    }

    static Map<String, String> load(Path file, Function<String, String> environment) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot read the Kafka client properties file " + file + ": " + e.getMessage(),
                    e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames().stream().sorted().toList()) {
            if (OWN.contains(key)) {
                throw new IllegalArgumentException(
                        String.format(
                                "%s sets %s, which Chiron sets itself; allowed: client settings"
                                        + " such as security.protocol, sasl.*, ssl.*",
                                file, key));
            }
            Matcher m = VARIABLE.matcher(p.getProperty(key));
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String resolved = environment.apply(m.group(1));
                if (resolved == null) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "%s: %s refers to the environment variable %s, which is not"
                                            + " set",
                                    file, key, m.group(1)));
                }
                m.appendReplacement(value, Matcher.quoteReplacement(resolved));
            }
            m.appendTail(value);
            out.put(key, value.toString());
        }
        return out;
    }

    /** {@code settings} with every value masked, for logs and errors. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.keySet().forEach(k -> out.put(k, "******"));
        return out;
    }
}
