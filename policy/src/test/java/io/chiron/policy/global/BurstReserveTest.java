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
        PoolLoad load = new PoolLoad(Fixtures.flatModel(), timing(), 1024);
        PoolState state = new PoolState();
        for (int w = 0; w < 120; w++) {
            long arrivals = w >= 60 && w < 63 ? 200 : 10;
            load.recordArrivals(
                    pool(T0 + (w + 1) * 5_000L).setArrivalsInteractive(arrivals).build(), state);
        }
        var last = pool(T0).build();
        assertThat(load.peakToMean(last, state, Duration.ofSeconds(15)))
                .isCloseTo(600 / 44.25, within(1e-9));
        assertThat(load.peakToMean(last, state, Duration.ofSeconds(60)))
                .isCloseTo(690 / 177.0, within(1e-9));
    }

    /**
     * Ten minutes of 5 s windows (120) of 10 arrivals each, the same count throughout, but in three
     * windows (15 s) each arrival brings a 10,000-token prompt. On the flat model a request's 100
     * output tokens cost 100 / 10,000 tok/s = 0.01 s, a prompt token (102.4 - 10) / 1,024 ms (a
     * 1,024-token chunk above the 10 ms weight read). Work per window: 0.1 s, and 0.1 + 100,000 x
     * 0.090234 ms = 9.1234 s in the three. Over the 15 s span: peak 3 x 9.1234 = 27.37, mean (120 x
     * 0.1 + 3 x 9.0234) x 3 / 120 = 0.9768, ratio 28.0. Counted in requests it would be 1.
     */
    @Test
    void aBurstOfLongPromptsIsABurstEvenAtAnEvenRequestRate() {
        PoolLoad load = new PoolLoad(Fixtures.flatModel(), timing(), 1024);
        PoolState state = new PoolState();
        for (int w = 0; w < 120; w++) {
            long prompt = w >= 60 && w < 63 ? 10 * 10_000L : 0;
            load.recordArrivals(
                    pool(T0 + (w + 1) * 5_000L)
                            .setArrivalsInteractive(10)
                            .setArrivalPromptTokensInteractive(prompt)
                            .build(),
                    state);
        }
        double token = (102.4 - 10) / 1_024 / 1_000;
        double burstWindow = 0.1 + 100_000 * token;
        double mean = (120 * 0.1 + 3 * 100_000 * token) * 3 / 120;
        assertThat(load.peakToMean(pool(T0).build(), state, Duration.ofSeconds(15)))
                .isCloseTo(3 * burstWindow / mean, within(1e-9))
                .isGreaterThan(28);
    }

    private static LoopTiming timing() {
        return new LoopTiming(
                Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60));
    }

    @Test
    void aFleetOfOneIsOneMixedInstance() {
        // One instance serves both classes only as MIXED; the split of larger fleets is unchanged:
        // 10 -> 6 interactive, 2 mixed, 2 batch.
        assertThat(ChironPolicy.roleSplit(1)).isEqualTo(RoleCounts.of(0, 1, 0));
        assertThat(ChironPolicy.roleSplit(10)).isEqualTo(RoleCounts.of(6, 2, 2));
    }

    @Test
    void aStartingFleetSizedPerClassKeepsOneMixedAmongTheInteractiveOnes() {
        // An interactive-only load that needs 4: 3 interactive and the MIXED reserve, no BATCH
        // instance that would serve none of it (the 60/20/20 split of 4 was 2, 1, 1).
        assertThat(ChironPolicy.roleSplit(RoleCounts.of(4, 0, 0)))
                .isEqualTo(RoleCounts.of(3, 1, 0));
        // 4 interactive and 2 batch: 3, 1, 2. Batch alone: the MIXED one of them, 0, 1, 2.
        assertThat(ChironPolicy.roleSplit(RoleCounts.of(4, 0, 2)))
                .isEqualTo(RoleCounts.of(3, 1, 2));
        assertThat(ChironPolicy.roleSplit(RoleCounts.of(0, 0, 3)))
                .isEqualTo(RoleCounts.of(0, 1, 2));
        // One in all is one MIXED instance, whichever class needs it.
        assertThat(ChironPolicy.roleSplit(RoleCounts.of(1, 0, 0)))
                .isEqualTo(RoleCounts.of(0, 1, 0));
        assertThat(ChironPolicy.roleSplit(RoleCounts.of(0, 0, 1)))
                .isEqualTo(RoleCounts.of(0, 1, 0));
    }
}
