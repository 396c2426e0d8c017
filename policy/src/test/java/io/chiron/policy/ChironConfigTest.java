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
        assertThat(ChironConfig.describe())
                .hasSizeGreaterThan(20)
                .allSatisfy(
                        r -> {
                            assertThat(r[0]).startsWith("chiron.");
                            assertThat(r[2]).isNotBlank();
                        });
    }
}
