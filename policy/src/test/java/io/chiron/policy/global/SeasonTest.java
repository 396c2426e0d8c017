package io.chiron.policy.global;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SeasonTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final long BUCKET = 15_000;

    @Test
    void bucketsAreWholeStepsAndADayHasAtMostOnePerMinute() {
        // A day: 86,400,000 / 1,440 = 60,000 ms, four 15 s steps. An hour: 2,500 ms, less than
        // a step: one step. A week: 420,000 ms, 28 steps.
        Duration step = Duration.ofSeconds(15);
        assertThat(Season.bucketMs(Duration.ofDays(1), step)).isEqualTo(60_000);
        assertThat(Season.bucketMs(HOUR, step)).isEqualTo(15_000);
        assertThat(Season.bucketMs(Duration.ofDays(7), step)).isEqualTo(420_000);
    }

    @Test
    void remembersEachBucketsPeakOfTheSeasonBeforeAndForgetsAfterAGap() {
        PoolState s = new PoolState();
        // 1,000 s into season 0 (bucket 66): two steps, the peak 1.5 is kept.
        Season.record(s, 1_000_000, 1.0, HOUR, BUCKET);
        Season.record(s, 1_004_000, 1.5, HOUR, BUCKET);
        // Nothing a season before season 0.
        assertThat(Season.oneSeasonBefore(s, 1_000_000, BUCKET)).isNaN();
        // From season 1, before its own step in the bucket and after it: season 0's 1.5.
        assertThat(Season.oneSeasonBefore(s, 4_600_000, BUCKET)).isEqualTo(1.5);
        Season.record(s, 4_600_000, 3.0, HOUR, BUCKET);
        assertThat(Season.oneSeasonBefore(s, 4_600_000, BUCKET)).isEqualTo(1.5);
        // From season 2: season 1's 3.0. Another bucket (2,000 s in) was never recorded.
        assertThat(Season.oneSeasonBefore(s, 8_200_000, BUCKET)).isEqualTo(3.0);
        assertThat(Season.oneSeasonBefore(s, 9_200_000, BUCKET)).isNaN();
        // Season 3 records with season 2 missing: the pass before it is forgotten.
        Season.record(s, 11_800_000, 2.0, HOUR, BUCKET);
        assertThat(Season.oneSeasonBefore(s, 11_800_000, BUCKET)).isNaN();
    }

    /** Season 0 of an hour: 1 instance-s/s in every 15 s step, 10 from 960 s to 1,200 s. */
    private static PoolState aSeasonWithACrowd(double crowd) {
        PoolState s = new PoolState();
        for (long t = 15_000; t < 3_600_000; t += 15_000) {
            Season.record(s, t, t >= 960_000 && t < 1_200_000 ? crowd : 1.0, HOUR, BUCKET);
        }
        return s;
    }

    @Test
    void aRecurringRiseWithinTheHorizonIsAddedToTheRecentDemand() {
        PoolState s = aSeasonWithACrowd(10);
        // 900 s into season 1, 75 s ahead: the season before had 1 at 900 s and its crowd of 10
        // from the bucket of 960 s, within (900, 975]: a rise of 9 on the recent 1.2 -> 10.2.
        assertThat(Season.ahead(s, 3_600_000 + 900_000, 75_000, BUCKET, 1.2))
                .isCloseTo(10.2, within(1e-9));
        // 800 s in, the horizon (800, 875] held only 1s: nothing.
        assertThat(Season.ahead(s, 3_600_000 + 800_000, 75_000, BUCKET, 1.2)).isZero();
        // In season 0 itself there is no season before: nothing, whatever comes.
        assertThat(Season.ahead(s, 900_000, 75_000, BUCKET, 1.2)).isZero();
    }

    @Test
    void aCrowdWhoseMinuteMovesIsBracketedByTheLastTwoSeasons() {
        // Season 0 has its crowd of 10 from 960 s, season 1 from 1,110 s (a later day).
        PoolState s = aSeasonWithACrowd(10);
        for (long t = 3_615_000; t < 7_200_000; t += 15_000) {
            long in = t - 3_600_000;
            Season.record(s, t, in >= 1_110_000 && in < 1_350_000 ? 10 : 1.0, HOUR, BUCKET);
        }
        // 900 s into season 2, 75 s ahead: season 1 was quiet over (900, 975], season 0 had its
        // crowd from 960 s; the higher of the two: 1.2 + (10 - 1) = 10.2. Yesterday alone would
        // say nothing.
        assertThat(Season.ahead(s, 7_200_000 + 900_000, 75_000, BUCKET, 1.2))
                .isCloseTo(10.2, within(1e-9));
        // 800 s in, neither had a rise within (800, 875].
        assertThat(Season.ahead(s, 7_200_000 + 800_000, 75_000, BUCKET, 1.2)).isZero();
    }

    @Test
    void aRiseOfLessThanTwiceIsLeftToTheTrendAndTheReserve() {
        // The same shape rising to 1.9: short of 2 x 1.
        PoolState s = aSeasonWithACrowd(1.9);
        assertThat(Season.ahead(s, 3_600_000 + 900_000, 75_000, BUCKET, 1.2)).isZero();
        // To exactly 2: counted, 1.2 + (2 - 1) = 2.2.
        assertThat(Season.ahead(aSeasonWithACrowd(2), 3_600_000 + 900_000, 75_000, BUCKET, 1.2))
                .isCloseTo(2.2, within(1e-9));
    }
}
