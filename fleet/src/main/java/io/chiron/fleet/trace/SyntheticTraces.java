package io.chiron.fleet.trace;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import java.util.Arrays;
import java.util.List;

/**
 * Synthetic one-hour traces for what the shipped ones do not cover. Arrivals average 5 requests per
 * second; prompt and output lengths are drawn, as pairs, from the Azure conversation trace, so only
 * the arrival process is synthetic. Fixed seeds: a name always means the same trace (the run's seed
 * then varies the superposed copies).
 *
 * <ul>
 *   <li>{@code synthetic-poisson}: exponential gaps, constant rate.
 *   <li>{@code synthetic-bursty}: Gamma gaps with a coefficient of variation of 4 (shape 1/16):
 *       long silences and dense bursts at the same mean rate.
 *   <li>{@code synthetic-diurnal}: a Poisson process whose rate swings ±60 % in a sine over the
 *       hour, a day's shape compressed.
 * </ul>
 */
public final class SyntheticTraces {
    public static final List<String> NAMES =
            List.of("synthetic-poisson", "synthetic-bursty", "synthetic-diurnal");

    private static final double RATE_PER_S = 5;
    private static final long HOUR_MS = 3_600_000;
    private static final long SEED = 20_240_101L;

    private SyntheticTraces() {}

    static Trace generate(String name) {
        RandomGenerator random = new Well19937c(SEED + NAMES.indexOf(name));
        Trace lengths = Trace.load("azure-conv");
        long[] offsets = new long[64];
        int n = 0;
        double t = 0;
        // Gamma gaps with mean 1/rate and CV 4: shape 1/16, scale mean * 16 (ms).
        GammaDistribution gaps = new GammaDistribution(random, 1.0 / 16, 1000.0 / RATE_PER_S * 16);
        while (true) {
            switch (name) {
                case "synthetic-bursty" -> t += gaps.sample();
                case "synthetic-diurnal" -> {
                    // Thinning: draw at the peak rate, keep with probability rate(t) / peak.
                    double peak = RATE_PER_S * 1.6;
                    do {
                        t += -Math.log(1 - random.nextDouble()) / peak * 1000;
                    } while (random.nextDouble()
                            > (1 + 0.6 * Math.sin(2 * Math.PI * t / HOUR_MS)) / 1.6);
                }
                default -> t += -Math.log(1 - random.nextDouble()) / RATE_PER_S * 1000;
            }
            if (t >= HOUR_MS) {
                break;
            }
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
            }
            offsets[n++] = (long) t;
        }
        offsets = Arrays.copyOf(offsets, n);
        long first = offsets[0];
        int[] prompt = new int[n];
        int[] output = new int[n];
        for (int i = 0; i < n; i++) {
            offsets[i] -= first;
            int j = random.nextInt(lengths.size());
            prompt[i] = lengths.promptTokens(j);
            output[i] = lengths.outputTokens(j);
        }
        return Trace.of(name, Trace.DEFAULT_EPOCH_MS, offsets, prompt, output);
    }
}
