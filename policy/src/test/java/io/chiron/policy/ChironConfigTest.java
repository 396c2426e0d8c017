package io.chiron.policy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChironConfigTest {

    @Test
    void overridesApplyByKeyAndLeaveTheRest() {
        ChironConfig c =
                ChironConfig.defaults()
                        .withOverrides(
                                Map.of(
                                        "chiron.local.beta", "0.5",
                                        "chiron.global.cold-start", "2 min",
                                        "chiron.local.batch-max", "256",
                                        "chiron.kafka.bootstrap-servers", "ignored:9092"));
        assertThat(c.beta).isEqualTo(0.5);
        assertThat(c.coldStart).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.batchMax).isEqualTo(256);
        assertThat(c.alpha).isEqualTo(ChironConfig.defaults().alpha);
        assertThat(ChironConfig.defaults().beta).as("the defaults untouched").isEqualTo(0.7);
    }

    @Test
    void aBadValueNamesTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(Map.of("chiron.global.period", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chiron.global.period")
                .hasMessageContaining("soon")
                .hasMessageContaining("a duration such as");
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(Map.of("chiron.local.beta", "NaN")))
                .hasMessageContaining("chiron.local.beta")
                .hasMessageContaining("a number");
    }

    @Test
    void everyConstantIsDocumented() {
        // 31 @Param fields today; a field without its setting would be a constant no key sets.
        assertThat(ChironConfig.settings().all())
                .hasSizeGreaterThan(20)
                .allSatisfy(
                        s -> {
                            assertThat(s.key()).startsWith("chiron.");
                            assertThat(s.description()).isNotBlank();
                            assertThat(s.defaultValue()).isNotNull();
                        });
    }

    @Test
    void theDefaultsAreWithinTheirRanges() {
        assertThat(ChironConfig.defaults().validate()).isNotNull();
    }

    @Test
    void aValueOutsideItsRangeNamesTheKeyTheValueAndTheRange() {
        // The values an operator once got past the job unnoticed.
        Map<String, String> bad =
                Map.of(
                        "chiron.local.beta", "-3",
                        "chiron.local.alpha", "0",
                        "chiron.global.max-instances", "-5",
                        "chiron.global.min-interactive", "-1",
                        "chiron.local.period", "0ms",
                        "chiron.global.cold-start", "0s",
                        "chiron.telemetry.heartbeat", "0ms");
        bad.forEach(
                (key, value) ->
                        assertThatThrownBy(
                                        () ->
                                                ChironConfig.defaults()
                                                        .withOverrides(Map.of(key, value)))
                                .as(key)
                                .isInstanceOf(IllegalArgumentException.class)
                                .hasMessageStartingWith(key + " = '" + value + "': must be"));
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(Map.of("chiron.local.beta", "7")))
                .hasMessage("chiron.local.beta = '7': must be in (0, 1)");
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(Map.of("chiron.global.cold-start", "0s")))
                .hasMessage("chiron.global.cold-start = '0s': must be from 1 s to 2 h");
    }

    @Test
    void constantsThatContradictEachOtherAreRefused() {
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(
                                                Map.of(
                                                        "chiron.local.batch-min", "64",
                                                        "chiron.local.batch-max", "32")))
                .hasMessageContaining("chiron.local.batch-min = 64")
                .hasMessageContaining("chiron.local.batch-max = 32");
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(Map.of("chiron.telemetry.heartbeat", "10s")))
                .hasMessageContaining("longer than chiron.local.period");
        // A season shorter than 10 min is a mistake (its buckets would be shorter than a step);
        // 0 is none, and 10 min and a day are fine.
        assertThatThrownBy(
                        () ->
                                ChironConfig.defaults()
                                        .withOverrides(Map.of("chiron.global.season", "5min")))
                .hasMessageContaining("chiron.global.season = 5 min")
                .hasMessageContaining("must be 0 (none) or at least 10 min");
        assertThat(
                        ChironConfig.defaults()
                                .withOverrides(Map.of("chiron.global.season", "0s"))
                                .season)
                .isZero();
        assertThat(
                        ChironConfig.defaults()
                                .withOverrides(Map.of("chiron.global.season", "10min"))
                                .season)
                .isEqualTo(java.time.Duration.ofMinutes(10));
    }

    @Test
    void configurationAndFlagsReadDurationsAlike() {
        ChironConfig c =
                ChironConfig.defaults()
                        .withOverrides(Map.of("chiron.global.scale-in-cooldown", "1h30m"));
        assertThat(c.scaleInCooldown).isEqualTo(Duration.ofMinutes(90));
    }
}
