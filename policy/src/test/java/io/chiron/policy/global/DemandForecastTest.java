package io.chiron.policy.global;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DemandForecastTest {

    @Test
    void aStraightLineIsForecastExactlyWithNoError() {
        // Level 1, trend 1 to start; every one-step prediction is right, so level and trend stay
        // on the line: level 4, trend 1 at the end, and 5 steps ahead 4 + 5 = 9.
        DemandForecast.Forecast f = DemandForecast.holt(new double[] {1, 2, 3, 4}, 0.5, 0.2, 5);
        assertThat(f.level()).isCloseTo(4, within(1e-12));
        assertThat(f.trend()).isCloseTo(1, within(1e-12));
        assertThat(f.mean()).isCloseTo(9, within(1e-12));
        assertThat(f.sigma()).isZero();
    }

    @Test
    void aSpikeIsDampedAndCountedInTheError() {
        // 0, 0, 3, 0 with alpha 0.5, beta 0.2 (by hand):
        //   t1: predicted 0, error 0; level 0, trend 0
        //   t2: predicted 0, error 3; level 1.5, trend 0.2 * 1.5 = 0.3
        //   t3: predicted 1.8, error -1.8; level 0.9, trend 0.2 * (0.9 - 1.5) + 0.8 * 0.3 = 0.12
        // One step ahead 1.02; sigma sqrt((0 + 9 + 3.24) / 3) = sqrt(4.08).
        DemandForecast.Forecast f = DemandForecast.holt(new double[] {0, 0, 3, 0}, 0.5, 0.2, 1);
        assertThat(f.level()).isCloseTo(0.9, within(1e-12));
        assertThat(f.trend()).isCloseTo(0.12, within(1e-12));
        assertThat(f.mean()).isCloseTo(1.02, within(1e-12));
        assertThat(f.sigma()).isCloseTo(Math.sqrt(4.08), within(1e-12));
    }

    @Test
    void aFallingSeriesIsNeverForecastBelowZero() {
        assertThat(DemandForecast.holt(new double[] {4, 3, 2, 1}, 0.5, 0.2, 10).mean()).isZero();
        assertThatThrownBy(() -> DemandForecast.holt(new double[] {1}, 0.5, 0.2, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
