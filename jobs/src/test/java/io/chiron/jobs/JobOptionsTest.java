package io.chiron.jobs;

import io.chiron.core.Setting;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobOptionsTest {
    @Test
    void argumentsAreReadByTheSettingsNotByFlinksParser() {
        // Flink's TimeUtils refuses "1h30m"; the setting's parser reads it as 90 minutes.
        Configuration conf =
                JobOptions.parse(
                        Map.of(
                                "chiron.checkpoint.interval", "1h30m",
                                "chiron.actuator.cooldown", "2min",
                                "chiron.actuator.backend.replicas", "http",
                                "parallelism.default", "3"));
        assertThat(conf.get(JobOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMinutes(90));
        assertThat(conf.get(ActuatorOptions.COOLDOWN)).isEqualTo(Duration.ofMinutes(2));
        assertThat(conf.get(ActuatorOptions.REPLICAS_BACKEND))
                .isEqualTo(io.chiron.actuator.ActuatorConfig.Backend.HTTP);
        // A key of Flink's own passes through as text.
        assertThat(conf.toMap()).containsEntry("parallelism.default", "3");
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> JobOptions.parse(Map.of("chiron.parallelism", "0")))
                .hasMessage("chiron.parallelism = '0': must be in [1, 1024]");
        assertThatThrownBy(() -> JobOptions.parse(Map.of("chiron.restart.strategy", "never")))
                .hasMessage(
                        "chiron.restart.strategy = 'never': must be one of exponential-delay,"
                                + " fixed-delay");
        // The actuator's limits had no range before the registry: a step of 0 froze every role.
        assertThatThrownBy(() -> JobOptions.parse(Map.of("chiron.actuator.max-step", "0")))
                .hasMessage("chiron.actuator.max-step = '0': must be in [1, 100000]");
        // Set in code, not parsed: validate checks the same ranges.
        Configuration conf = new Configuration();
        conf.set(JobOptions.QUEUE_BUCKET, Duration.ZERO);
        assertThatThrownBy(() -> JobOptions.validate(conf))
                .hasMessage(
                        "chiron.queue.deadline-bucket = 0 s: must be from 0 s (excluded) to inf");
    }

    @Test
    void everyOptionIsGeneratedFromItsSetting() throws IllegalAccessException {
        // Each public ConfigOption of the job has a setting of the same key and default, and
        // each setting an option: the option is generated, not declared a second time.
        Map<String, Object> options = new java.util.LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {JobOptions.class, ActuatorOptions.class}) {
            for (Field f : c.getFields()) {
                if (f.getType() == ConfigOption.class) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    options.put(o.key(), o.hasDefaultValue() ? o.defaultValue() : null);
                }
            }
        }
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        for (Setting<?> s : JobOptions.settings().all()) {
            settings.put(s.key(), s.defaultValue());
        }
        assertThat(options).hasSizeGreaterThan(40).isEqualTo(settings);
        assertThat(OptionsDoc.registry().has("chiron.local.beta")).isTrue();
        assertThat(OptionsDoc.registry().has("chiron.actuator.http.url")).isTrue();
    }
}
