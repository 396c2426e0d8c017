package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ForecastBacktestTest {
    private final ChironConfig config = ChironConfig.defaults();

    @Test
    void onARampHoltIsExactAndTheLast30sFallShortByTheRiseOverTheHorizon() {
        // Demand 1, 2, 3, ... per step, 5 steps ahead. The last 30 s at step t are the mean of
        // t+1 and t (1-based values): (t + 0.5) against t + 6 to come, 5.5 short every time. Holt
        // starts from level 1 and trend 1, which a line never corrects: exact.
        double[] ramp = IntStream.rangeClosed(1, 40).asDoubleStream().toArray();
        Map<String, ForecastBacktest.Errors> e = ForecastBacktest.run(ramp, 5, config);

        // Judged from step 6 (index 5) to the last with 5 steps after it: indices 5..34, 30.
        assertThat(e.get("last-30s").steps()).isEqualTo(30);
        assertThat(e.get("last-30s").mae()).isCloseTo(5.5, within(1e-9));
        assertThat(e.get("last-30s").bias()).isCloseTo(-5.5, within(1e-9));
        assertThat(e.get("last-30s").shortFraction()).isEqualTo(1.0);
        assertThat(e.get("last-30s").meanShortfall()).isCloseTo(5.5, within(1e-9));
        assertThat(e.get("holt").mae()).isCloseTo(0, within(1e-9));
        // The trend sees 3 per 45 s (the last 30 s against the minute before), 5 over 75 s, and
        // adds at most half the last 30 s: it falls between the two.
        assertThat(e.get("trend").mae()).isBetween(0.5 - 1e-9, 5.5);
    }

    @Test
    void onAFlatSeriesEveryForecasterIsExact() {
        double[] flat = new double[30];
        Arrays.fill(flat, 2.0);
        assertThat(ForecastBacktest.run(flat, 5, config))
                .hasSize(5)
                .allSatisfy(
                        (name, e) -> {
                            assertThat(e.mae()).as(name).isCloseTo(0, within(1e-9));
                            assertThat(e.shortFraction()).as(name).isZero();
                        });
    }

    @Test
    void aSeriesTooShortToJudgeGivesNothing() {
        // 6 steps of warm-up and 5 ahead need 11 values at least.
        assertThat(ForecastBacktest.run(new double[10], 5, config)).isEmpty();
        assertThat(ForecastBacktest.run(new double[11], 5, config)).hasSize(5);
    }
}
