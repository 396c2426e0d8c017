package io.chiron.policy.global;

import io.chiron.core.LoopTiming;
import io.chiron.core.RoleCounts;
import io.chiron.policy.ChironPolicy;
import io.chiron.policy.Fixtures;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.chiron.policy.Fixtures.T0;
import static io.chiron.policy.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BurstReserveTest {
    /**
     * Ten minutes of 5 s windows (120): 10 interactive arrivals in each, but for one burst of 15 s,
     * three windows of 200. Total 117 x 10 + 3 x 200 = 1,770.
     *
     * <p>Over the 15 s burst span (3 windows): peak 600, mean 1,770 x 3 / 120 = 44.25, ratio 13.56.
     * Over a 60 s cold start (12 windows): peak 9 x 10 + 600 = 690, mean 177, ratio 3.90: the burst
     * averaged away, which is why the reserve measures over the burst span.
     */
    @Test
    void aBurstShorterThanAColdStartIsMeasuredOverTheBurstSpan() {
        PoolLoad load =
                new PoolLoad(
                        Fixtures.flatModel(),
                        new LoopTiming(
                                Duration.ofSeconds(5),
                                Duration.ofSeconds(15),
                                Duration.ofSeconds(60)));
        PoolState state = new PoolState();
        for (int w = 0; w < 120; w++) {
            long arrivals = w >= 60 && w < 63 ? 200 : 10;
            load.recordArrivals(
                    pool(T0 + (w + 1) * 5_000L).setArrivalsInteractive(arrivals).build(), state);
        }
        assertThat(load.peakToMean(state, Duration.ofSeconds(15)))
                .isCloseTo(600 / 44.25, within(1e-9));
        assertThat(load.peakToMean(state, Duration.ofSeconds(60)))
                .isCloseTo(690 / 177.0, within(1e-9));
    }

    @Test
    void aFleetOfOneIsOneMixedInstance() {
        // One instance serves both classes only as MIXED; the split of larger fleets is unchanged:
        // 10 -> 6 interactive, 2 mixed, 2 batch.
        assertThat(ChironPolicy.roleSplit(1)).isEqualTo(RoleCounts.of(0, 1, 0));
        assertThat(ChironPolicy.roleSplit(10)).isEqualTo(RoleCounts.of(6, 2, 2));
    }
}
