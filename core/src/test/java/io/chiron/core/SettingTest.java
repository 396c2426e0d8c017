package io.chiron.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {
    enum Mode {
        FAST,
        SLOW_START
    }

    private static final Setting<Integer> COUNT =
            Setting.integer("chiron.test.count", 1, "A count.").between(1, 1024);
    private static final Setting<Double> SHARE =
            Setting.number("chiron.test.share", 0.5, "A share.")
                    .between(0, 1)
                    .excluding(true, true);
    private static final Setting<Duration> PERIOD =
            Setting.duration("chiron.test.period", Duration.ofSeconds(5), "A period.")
                    .between(100, 7_200_000);

    @Test
    void durationsAreReadByTheOneParser() {
        // 1h30m = 5,400,000 ms, inside [100 ms, 2 h]; Flink's own parser refuses "1h30m".
        assertThat(PERIOD.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PERIOD.parse(" 2min ")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> PERIOD.parse("soon"))
                .hasMessage("chiron.test.period = 'soon': " + Durations.ALLOWED);
    }

    @Test
    void aValueOutOfRangeNamesTheKeyTheValueAndTheRange() {
        assertThatThrownBy(() -> COUNT.parse("0"))
                .hasMessage("chiron.test.count = '0': must be in [1, 1024]");
        assertThatThrownBy(() -> COUNT.parse("1.5"))
                .hasMessage("chiron.test.count = '1.5': must be an integer in [1, 1024]");
        assertThatThrownBy(() -> SHARE.parse("1"))
                .hasMessage("chiron.test.share = '1': must be in (0, 1)");
        assertThatThrownBy(() -> SHARE.parse("NaN"))
                .hasMessage("chiron.test.share = 'NaN': must be a number in (0, 1)");
        assertThatThrownBy(() -> PERIOD.parse("3h"))
                .hasMessage("chiron.test.period = '3h': must be from 100 ms to 2 h");
        // A typed value (a default changed in code, a value Flink read) is checked the same way.
        assertThatThrownBy(() -> PERIOD.check(Duration.ZERO))
                .hasMessage("chiron.test.period = 0 s: must be from 100 ms to 2 h");
    }

    @Test
    void aFlagBoundToASettingIsNamedAsTheUserWroteIt() {
        assertThatThrownBy(() -> PERIOD.check("--period", Duration.ofMillis(10)))
                .hasMessage("--period 10 ms: must be from 100 ms to 2 h (chiron.test.period)");
        assertThat(PERIOD.check("--period", Duration.ofSeconds(1)))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void enumsBooleansAndChoices() {
        Setting<Mode> mode = Setting.of("chiron.test.mode", Mode.class, Mode.FAST, "A mode.");
        assertThat(mode.parse("slow-start")).isEqualTo(Mode.SLOW_START);
        assertThatThrownBy(() -> mode.parse("warp"))
                .hasMessage("chiron.test.mode = 'warp': must be one of fast, slow_start");
        Setting<Boolean> on = Setting.flag("chiron.test.on", false, "On.");
        assertThat(on.parse("TRUE")).isTrue();
        assertThatThrownBy(() -> on.parse("yes"))
                .hasMessage("chiron.test.on = 'yes': must be true or false");
        Setting<String> strategy =
                Setting.text("chiron.test.strategy", "a", "A strategy.").oneOf("a", "b");
        assertThatThrownBy(() -> strategy.parse("c"))
                .hasMessage("chiron.test.strategy = 'c': must be one of a, b");
        assertThat(Setting.text("chiron.test.any", null, "Anything.").parse("c")).isEqualTo("c");
    }

    @Test
    void theRegistryRefusesUnknownAndDuplicateKeys() {
        Settings registry = Settings.of(List.of(COUNT, SHARE)).plus(Settings.of(List.of(PERIOD)));
        assertThat(registry.all()).containsExactly(COUNT, SHARE, PERIOD);
        registry.requireKnown(List.of("chiron.test.count", "parallelism.default"), "chiron.");
        assertThatThrownBy(() -> registry.requireKnown(List.of("chiron.test.cuont"), "chiron."))
                .hasMessage(
                        "unknown option chiron.test.cuont; see docs/configuration.md for the keys");
        assertThatThrownBy(() -> registry.plus(Settings.of(List.of(COUNT))))
                .hasMessage("two settings share the key chiron.test.count");
    }
}
