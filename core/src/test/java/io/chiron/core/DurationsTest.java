package io.chiron.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void readsWhatTheFlagsAndTheConfigurationOnceReadApart() {
        // What the old config parser took ...
        assertThat(Durations.parse("2 min")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("5 s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
        // ... and what the old flag parser took.
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aValueThatIsNoDurationSaysWhatIs() {
        for (String bad : new String[] {"5x", "soon", "", "5", "1h 30", "PTX"}) {
            assertThatThrownBy(() -> Durations.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("2min");
        }
    }
}
