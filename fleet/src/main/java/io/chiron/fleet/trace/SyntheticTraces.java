package io.chiron.fleet.trace;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Synthetic traces, an hour long but for one, for what the shipped ones do not cover: the
 * robustness workloads of issue 16, each a shape of arrivals or of prompt lengths that a policy
 * tuned on the Azure traces has not seen. The same name and seed always give the same trace;
 * another seed another draw of the same process (the run's seed, so held-out seeds see held-out
 * traces).
 *
 * <p>Arrival shapes (requests per second over the hour; prompt and output lengths drawn, as pairs,
 * from the Azure conversation trace unless said otherwise):
 *
 * <ul>
 *   <li>{@code synthetic-poisson}: 5/s, exponential gaps.
 *   <li>{@code synthetic-bursty}: Gamma gaps with a coefficient of variation of 4 (shape 1/16):
 *       long silences and dense bursts at the same mean rate.
 *   <li>{@code synthetic-diurnal}: 5/s swinging ±60 % in a sine over the hour, a day compressed.
 *   <li>{@code synthetic-flash-crowd}: 2/s, and twice in the hour (minutes 15 and 40) tenfold
 *       within a minute, held four minutes, back down over two.
 *   <li>{@code synthetic-on-off}: 40 s at 12/s, 80 s at 1.5/s, repeated: bursts shorter than a 60 s
 *       cold start, 5/s on average.
 *   <li>{@code synthetic-ramp}: a slow ramp from 1/s to 9/s over the hour.
 *   <li>{@code synthetic-daily-crowd}: three hours, each a day compressed: 2/s, and each hour a
 *       flash crowd (as above) starting at minute 15 give or take one (uniform), its height 10x
 *       give or take 30 % (uniform), a new Poisson draw every hour. A crowd that recurs at about
 *       the same time, for seasonality with {@code --set chiron.global.season=1h}: the one trace
 *       longer than an hour, run it with {@code --duration 3h}.
 * </ul>
 *
 * <p>Prompt lengths, at constant rate:
 *
 * <ul>
 *   <li>{@code synthetic-short-chat}: 5/s, prompts log-normal with median 100 tokens (σ 0.7, at
 *       most 4,096): chat without history, decode-bound.
 *   <li>{@code synthetic-long-context}: 1/s, prompts log-normal with median 10,000 tokens (σ 0.9,
 *       p99 about 81,000, capped at 128,000): documents and long histories, prefill-bound. A fixed
 *       TTFT bound is infeasible for the longest prompts even on an idle GPU; run it with {@code
 *       --slo-ttft-per-1k-tokens}.
 * </ul>
 *
 * Outputs come from the conversation trace throughout (median 129 tokens).
 */
public final class SyntheticTraces {
    public static final List<String> NAMES =
            List.of(
                    "synthetic-poisson",
                    "synthetic-bursty",
                    "synthetic-diurnal",
                    "synthetic-flash-crowd",
                    "synthetic-on-off",
                    "synthetic-ramp",
                    "synthetic-short-chat",
                    "synthetic-long-context",
                    // Appended: a name's index seeds its draws, so the others' stay as they were.
                    "synthetic-daily-crowd");

    /** The days of {@code synthetic-daily-crowd}, an hour each. */
    static final int DAILY_CROWD_DAYS = 3;

    /** The longest prompt of {@code synthetic-long-context}: a 128 k context less its output. */
    static final int LONG_CONTEXT_MAX = 128_000;

    private static final double HOUR_S = 3_600;
    private static final long SEED = 20_240_101L;

    private SyntheticTraces() {}

    static Trace generate(String name, long seed) {
        RandomGenerator random = new Well19937c(SEED + 1_000L * NAMES.indexOf(name) + seed);
        double[] at = arrivals(name, random);
        Trace conversation = Trace.load("azure-conv");
        int n = at.length;
        long[] offsets = new long[n];
        int[] prompt = new int[n];
        int[] output = new int[n];
        long first = n == 0 ? 0 : (long) (at[0] * 1000);
        for (int i = 0; i < n; i++) {
            offsets[i] = (long) (at[i] * 1000) - first;
            int j = random.nextInt(conversation.size());
            output[i] = conversation.outputTokens(j);
            prompt[i] =
                    switch (name) {
                        case "synthetic-short-chat" -> logNormal(random, 100, 0.7, 4_096);
                        case "synthetic-long-context" ->
                                logNormal(random, 10_000, 0.9, LONG_CONTEXT_MAX);
                        default -> conversation.promptTokens(j);
                    };
        }
        return Trace.of(name, Trace.DEFAULT_EPOCH_MS, offsets, prompt, output);
    }

    /** Arrival times in seconds within the hour (three for the daily crowd), ascending. */
    private static double[] arrivals(String name, RandomGenerator random) {
        return switch (name) {
            case "synthetic-bursty" -> gammaArrivals(random, 5, 4);
            case "synthetic-diurnal" ->
                    poisson(random, t -> 5 * (1 + 0.6 * Math.sin(2 * Math.PI * t / HOUR_S)), 8);
            case "synthetic-flash-crowd" ->
                    poisson(random, t -> 2 * (1 + 9 * crowd(t, 900) + 9 * crowd(t, 2_400)), 20);
            case "synthetic-on-off" -> poisson(random, t -> t % 120 < 40 ? 12 : 1.5, 12);
            case "synthetic-ramp" -> poisson(random, t -> 1 + 8 * t / HOUR_S, 9);
            case "synthetic-long-context" -> poisson(random, t -> 1, 1);
            case "synthetic-daily-crowd" -> dailyCrowd(random);
            default -> poisson(random, t -> 5, 5);
        };
    }

    /**
     * A flash crowd starting at {@code startS}: 0 before, rising linearly to 1 within a minute, 1
     * for four minutes, falling linearly to 0 over two.
     */
    static double crowd(double t, double startS) {
        double s = t - startS;
        if (s <= 0 || s >= 420) {
            return 0;
        }
        return s < 60 ? s / 60 : s < 300 ? 1 : (420 - s) / 120;
    }

    /** {@code synthetic-daily-crowd}'s arrivals: the crowds' starts and heights drawn first. */
    private static double[] dailyCrowd(RandomGenerator random) {
        double[] start = new double[DAILY_CROWD_DAYS];
        double[] height = new double[DAILY_CROWD_DAYS];
        for (int d = 0; d < DAILY_CROWD_DAYS; d++) {
            start[d] = d * HOUR_S + 900 + 120 * (random.nextDouble() - 0.5);
            height[d] = 10 * (1 + 0.6 * (random.nextDouble() - 0.5));
        }
        DoubleUnaryOperator rate =
                t -> {
                    int d = (int) Math.min(DAILY_CROWD_DAYS - 1, t / HOUR_S);
                    return 2 * (1 + (height[d] - 1) * crowd(t, start[d]));
                };
        return poisson(random, rate, 2 * 13, DAILY_CROWD_DAYS * HOUR_S);
    }

    private static double[] poisson(RandomGenerator random, DoubleUnaryOperator rate, double peak) {
        return poisson(random, rate, peak, HOUR_S);
    }

    /**
     * A Poisson process of rate {@code rate(t)} per second by thinning (Lewis and Shedler) over
     * {@code [0, endS)}: draw at the peak rate, keep a point with probability rate(t) / peak.
     */
    private static double[] poisson(
            RandomGenerator random, DoubleUnaryOperator rate, double peak, double endS) {
        double[] at = new double[64];
        int n = 0;
        double t = 0;
        while (true) {
            t += -Math.log(1 - random.nextDouble()) / peak;
            if (t >= endS) {
                return Arrays.copyOf(at, n);
            }
            if (random.nextDouble() * peak < rate.applyAsDouble(t)) {
                if (n == at.length) {
                    at = Arrays.copyOf(at, n * 2);
                }
                at[n++] = t;
            }
        }
    }

    /** A renewal process with Gamma gaps of mean 1/rate and coefficient of variation cv. */
    private static double[] gammaArrivals(RandomGenerator random, double rate, double cv) {
        double shape = 1 / (cv * cv);
        GammaDistribution gaps = new GammaDistribution(random, shape, 1 / rate / shape);
        double[] at = new double[64];
        int n = 0;
        double t = 0;
        while ((t += gaps.sample()) < HOUR_S) {
            if (n == at.length) {
                at = Arrays.copyOf(at, n * 2);
            }
            at[n++] = t;
        }
        return Arrays.copyOf(at, n);
    }

    /** A log-normal draw of median {@code median} and log-sd {@code sigma}, in [1, max]. */
    private static int logNormal(RandomGenerator random, double median, double sigma, int max) {
        double v = median * Math.exp(sigma * random.nextGaussian());
        return (int) Math.max(1, Math.min(max, Math.round(v)));
    }
}
