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

    @Test
    void aSeedIsAnotherDrawOfTheSameProcess() {
        Trace a = Trace.load("synthetic-poisson", 1);
        Trace b = Trace.load("synthetic-poisson", 2);
        assertThat(a.offsetMs(100)).isNotEqualTo(b.offsetMs(100));
        assertThat(Trace.load("synthetic-poisson", 1).offsetMs(100)).isEqualTo(a.offsetMs(100));
        // Both at 5/s: 18,000 +- 3 sd of 134.
        assertThat(b.size()).isBetween(17_600, 18_400);
    }

    /** Arrivals within [fromS, toS) seconds of the trace's start. */
    private static int count(Trace t, double fromS, double toS) {
        int n = 0;
        for (int i = 0; i < t.size(); i++) {
            double s = t.offsetMs(i) / 1000.0;
            if (s >= fromS && s < toS) {
                n++;
            }
        }
        return n;
    }

    @Test
    void aFlashCrowdIsTenfoldWithinAMinute() {
        Trace t = Trace.load("synthetic-flash-crowd", 7);
        // The first arrival is the trace's zero, within a second of the hour's start at 2/s.
        // Minutes 10-15: 2/s -> 600 expected; the crowd's plateau (minutes 16-20): 20/s -> 4,800.
        int before = count(t, 600, 900);
        int plateau = count(t, 960, 1_200);
        assertThat(before).isBetween(520, 680);
        assertThat(plateau).isBetween(4_500, 5_100);
        // From the crowd's start to a minute later the rate goes 2 -> 20/s: 60 (2 + 20) / 2 = 660.
        assertThat(count(t, 900, 960)).isBetween(570, 750);
        assertThat(SyntheticTraces.crowd(930, 900)).isEqualTo(0.5);
        assertThat(SyntheticTraces.crowd(1_260, 900)).isEqualTo(0.5);
    }

    @Test
    void onOffBurstsAreShorterThanAColdStart() {
        Trace t = Trace.load("synthetic-on-off", 7);
        // Period 120 s: 40 s at 12/s (480), 80 s at 1.5/s (120). Over the 30 periods of the hour,
        // the "on" thirds carry 14,400 arrivals and the "off" two-thirds 3,600; the first
        // arrival is within a tenth of a second of the hour's start, so the phases hold.
        int on = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.offsetMs(i) % 120_000 < 40_000) {
                on++;
            }
        }
        assertThat(on).isBetween(14_000, 14_800);
        assertThat(t.size() - on).isBetween(3_350, 3_850);
    }

    @Test
    void theDailyCrowdComesEveryHourAtAboutTheSameMinuteAsAFreshDraw() {
        Trace t = Trace.load("synthetic-daily-crowd", 7);
        // Three hours at 2/s with a crowd each: about 3 x 7,200 + the crowds.
        assertThat(t.durationMs()).isGreaterThan(3 * 3_600_000L - 10_000);
        int[] crowd = new int[3];
        for (int d = 0; d < 3; d++) {
            long day = d * 3_600L;
            // A crowd starts at minute 15 +- 1 and is at its height from a minute after its start
            // for four minutes: 1,020-1,140 s in is at the height whatever the start. There the
            // rate is 2 x (10 +- 30 %) = 14-26/s, 1,680-3,120 in 120 s; at 1,800-1,920 s, after
            // it, 2/s: 240 (sd 15.5).
            crowd[d] = count(t, day + 1_020, day + 1_140);
            assertThat(crowd[d]).isBetween(1_550, 3_250);
            assertThat(count(t, day + 1_800, day + 1_920)).isBetween(180, 300);
        }
        // Each hour a new draw: not the same count three times.
        assertThat(crowd[0] == crowd[1] && crowd[1] == crowd[2]).isFalse();
    }

    @Test
    void theRampGrowsNinefoldOverTheHour() {
        Trace t = Trace.load("synthetic-ramp", 7);
        // Rate 1 + 8 t/3600: the first five minutes average 1.33/s (400), the last 8.67/s (2,600).
        assertThat(count(t, 0, 300)).isBetween(330, 470);
        assertThat(count(t, 3_300, 3_600)).isBetween(2_450, 2_750);
    }

    /** The median of the prompt lengths. */
    private static int medianPrompt(Trace t) {
        int[] p = new int[t.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = t.promptTokens(i);
        }
        java.util.Arrays.sort(p);
        return p[p.length / 2];
    }

    @Test
    void promptLengthsSpanShortChatToLongContext() {
        Trace chat = Trace.load("synthetic-short-chat", 7);
        Trace docs = Trace.load("synthetic-long-context", 7);
        // Log-normal medians 100 and 10,000 tokens; the sample median of n draws is within a
        // few percent for n in the thousands.
        assertThat(medianPrompt(chat)).isBetween(95, 105);
        assertThat(medianPrompt(docs)).isBetween(9_500, 10_500);
        // At 1/s: 3,600 +- 180.
        assertThat(docs.size()).isBetween(3_400, 3_800);
        // sigma 0.9: P(L > 64,000) = P(Z > ln 6.4 / 0.9 = 2.06) = 2 %; the cap holds.
        int longest = 0;
        int over64k = 0;
        for (int i = 0; i < docs.size(); i++) {
            longest = Math.max(longest, docs.promptTokens(i));
            over64k += docs.promptTokens(i) > 64_000 ? 1 : 0;
        }
        assertThat(longest).isLessThanOrEqualTo(SyntheticTraces.LONG_CONTEXT_MAX);
        assertThat(over64k).isBetween(40, 110);
    }
}
