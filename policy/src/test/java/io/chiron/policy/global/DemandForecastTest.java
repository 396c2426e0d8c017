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
    void theFirstTrendIsTheMeanChangeOfTheFirstStepsNotTheFirstChange() {
        // A fleet's first minutes at 20x (seed 6, rounded): a dip after the first step, then the
        // ramp. The first trend is (2.1 - 2.0) / 3 = 0.0333 (by hand, alpha 0.5, beta 0.2):
        //   t1: predicted 2.0333, level 1.7167, trend -0.03
        //   t2: predicted 1.6867, level 1.5933, trend -0.0487
        //   t3: predicted 1.5447, level 1.8223, trend 0.0069
        //   t4: predicted 1.8292, level 2.2146, trend 0.0839
        //   t5: predicted 2.2985, level 2.7993, trend 0.1841
        // Five steps ahead 2.7993 + 5 * 0.1841 = 3.7197, above the last step. From the first change
        // alone (-0.6) the trend would still be -0.047 there, and the forecast 2.20: below the
        // demand of two steps before, while the ramp was on.
        DemandForecast.Forecast f =
                DemandForecast.holt(new double[] {2.0, 1.4, 1.5, 2.1, 2.6, 3.3}, 0.5, 0.2, 5);
        assertThat(f.level()).isCloseTo(2.7993, within(1e-4));
        assertThat(f.trend()).isCloseTo(0.1841, within(1e-4));
        assertThat(f.mean()).isCloseTo(3.7197, within(1e-4));
        // Two values: the one change there is.
        assertThat(DemandForecast.holt(new double[] {1, 3}, 0.5, 0.2, 1).trend()).isEqualTo(2);
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

    @Test
    void aCrowdRisingTwoStepsInARowIsCarriedForward() {
        // A flat level of 1 (sd 0), then 2.1 and 4.4: rises of 2.1x each, 4.4 >= 1.25 x 1, and
        // 4.4 - 1 = 3.4 > 3 sd = 0. Slope (4.4 - 1) / 2 = 1.7 per step; 5 steps ahead
        // 4.4 + 8.5 = 12.9, capped at twice the last step: 8.8.
        double[] crowd = {1, 1, 1, 1, 2.1, 4.4};
        assertThat(DemandForecast.surge(crowd, 1.25, 5, 2)).isCloseTo(8.8, within(1e-12));
        // One step ahead, under the cap: 4.4 + 1.7 = 6.1.
        assertThat(DemandForecast.surge(crowd, 1.25, 1, 2)).isCloseTo(6.1, within(1e-12));
        // Off at 0.
        assertThat(DemandForecast.surge(crowd, 0, 5, 2)).isZero();
    }

    @Test
    void aFleetStartingUpSurgesWithoutHistory() {
        // Three steps only, from nothing: 0, 1, 2 (1 >= 1.25 x 0 counts, 2 >= 1.25 x 1). Slope
        // 1 per step; 2 steps ahead 2 + 2 = 4, the cap 2 x 2 = 4 as well.
        assertThat(DemandForecast.surge(new double[] {0, 1, 2}, 1.25, 2, 2))
                .isCloseTo(4, within(1e-12));
        // Two steps are no surge yet.
        assertThat(DemandForecast.surge(new double[] {1, 2}, 1.25, 2, 2)).isZero();
    }

    @Test
    void aSingleBurstOrALevelSeenBeforeIsNoSurge() {
        // One step up only: 1, 1, 3 (the step before the last did not rise 25 %).
        assertThat(DemandForecast.surge(new double[] {1, 1, 1, 3}, 1.25, 5, 2)).isZero();
        // Rising twice, but to 4 where an earlier step was 4: 4 < 1.25 x 4 (on/off bursts).
        assertThat(DemandForecast.surge(new double[] {4, 1, 1, 2, 4}, 1.25, 5, 2)).isZero();
        // Rising twice to a new high, within the noise: levels 0, 2, 0, 2 (mean 1, sd 1), then
        // 1, 1.5, 2.5: 2.5 >= 1.25 x 2, but 2.5 - 1 = 1.5 < 3 sd = 3.
        assertThat(DemandForecast.surge(new double[] {0, 2, 0, 2, 1, 1.5, 2.5}, 1.25, 5, 2))
                .isZero();
    }
}
