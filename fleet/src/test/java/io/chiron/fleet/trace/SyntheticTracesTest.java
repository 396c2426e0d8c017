package io.chiron.fleet.trace;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticTracesTest {

    /** Index of dispersion of per-second arrival counts: 1 for Poisson, more when bursty. */
    private static double dispersion(Trace t) {
        int seconds = (int) (t.durationMs() / 1000) + 1;
        int[] counts = new int[seconds];
        for (int i = 0; i < t.size(); i++) {
            counts[(int) (t.offsetMs(i) / 1000)]++;
        }
        double mean = (double) t.size() / seconds;
        double var = 0;
        for (int c : counts) {
            var += (c - mean) * (c - mean);
        }
        return var / seconds / mean;
    }

    @Test
    void poissonArrivesAtFivePerSecondWithoutBursts() {
        Trace t = Trace.load("synthetic-poisson");
        // One hour at 5/s: 18,000 expected, sd 134.
        assertThat(t.size()).isBetween(17_500, 18_500);
        assertThat(dispersion(t)).isCloseTo(1.0, within(0.15));
    }

    @Test
    void burstyHasTheSameMeanRateButFarMoreDispersion() {
        Trace t = Trace.load("synthetic-bursty");
        assertThat(t.size()).isBetween(14_000, 22_000);
        assertThat(dispersion(t)).isGreaterThan(5);
    }

    @Test
    void diurnalSwellsAndEbbsOverTheHour() {
        Trace t = Trace.load("synthetic-diurnal");
        int firstHalf = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.offsetMs(i) < 1_800_000) {
                firstHalf++;
            }
        }
        // Rate 5 (1 + 0.6 sin): the first half-hour carries (1 + 1.2/pi)/2 = 69 % of the arrivals.
        assertThat((double) firstHalf / t.size()).isCloseTo(0.69, within(0.03));
    }

    @Test
    void aNameIsAlwaysTheSameTrace() {
        Trace a = Trace.load("synthetic-bursty");
        Trace b = Trace.load("synthetic-bursty");
        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a.offsetMs(a.size() - 1)).isEqualTo(b.offsetMs(b.size() - 1));
    }
}
