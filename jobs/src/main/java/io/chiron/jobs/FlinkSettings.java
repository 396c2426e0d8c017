package io.chiron.jobs;

import io.chiron.core.Setting;
import io.chiron.core.Settings;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Chiron's {@link Setting}s as Flink {@link ConfigOption}s: each option is declared once, as a
 * setting, and the {@code ConfigOption} the job reads is generated from it. Values given as text
 * are read by the setting (one duration parser, range checks naming the key), never by Flink's own
 * parser.
 */
final class FlinkSettings {
    /** Each registered setting and the option generated from it, in declaration order. */
    private final Map<Setting<?>, ConfigOption<?>> options = new LinkedHashMap<>();

    /** Registers {@code setting} and returns its generated option. */
    <T> ConfigOption<T> add(Setting<T> setting) {
        ConfigOption<T> option = option(setting);
        options.put(setting, option);
        return option;
    }

    Settings settings() {
        return Settings.of(options.keySet());
    }

    /**
     * Checks each registered option's value in {@code conf} against its setting's range.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    @SuppressWarnings("unchecked")
    void check(Configuration conf) {
        options.forEach((s, o) -> ((Setting<Object>) s).check(conf.get((ConfigOption<Object>) o)));
    }

    /**
     * Parses the values of {@code raw} whose keys are registered here with their settings and sets
     * them, typed, in {@code conf}; other keys are left alone.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    @SuppressWarnings("unchecked")
    void parseInto(Map<String, String> raw, Configuration conf) {
        options.forEach(
                (s, o) -> {
                    String value = raw.get(s.key());
                    if (value != null) {
                        conf.set((ConfigOption<Object>) o, s.parse(value));
                    }
                });
    }

    /**
     * A configuration of {@code raw}: the keys of {@code registries} typed by their settings, every
     * other key as text (Flink's own options).
     */
    static Configuration configuration(Map<String, String> raw, FlinkSettings... registries) {
        Map<String, String> others = new HashMap<>(raw);
        for (FlinkSettings r : registries) {
            r.options.keySet().forEach(s -> others.remove(s.key()));
        }
        Configuration conf = Configuration.fromMap(others);
        for (FlinkSettings r : registries) {
            r.parseInto(raw, conf);
        }
        return conf;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> ConfigOption<T> option(Setting<T> s) {
        ConfigOptions.OptionBuilder key = ConfigOptions.key(s.key());
        Class<T> type = s.type();
        ConfigOptions.TypedConfigOptionBuilder<T> typed;
        if (type == Integer.class) {
            typed = (ConfigOptions.TypedConfigOptionBuilder<T>) key.intType();
        } else if (type == Long.class) {
            typed = (ConfigOptions.TypedConfigOptionBuilder<T>) key.longType();
        } else if (type == Double.class) {
            typed = (ConfigOptions.TypedConfigOptionBuilder<T>) key.doubleType();
        } else if (type == Duration.class) {
            typed = (ConfigOptions.TypedConfigOptionBuilder<T>) key.durationType();
        } else if (type == Boolean.class) {
            typed = (ConfigOptions.TypedConfigOptionBuilder<T>) key.booleanType();
        } else if (type == String.class) {
            typed = (ConfigOptions.TypedConfigOptionBuilder<T>) key.stringType();
        } else {
            typed = key.enumType((Class) type);
        }
        ConfigOption<T> option =
                s.defaultValue() == null
                        ? typed.noDefaultValue()
                        : typed.defaultValue(s.defaultValue());
        return option.withDescription(s.description());
    }
}
