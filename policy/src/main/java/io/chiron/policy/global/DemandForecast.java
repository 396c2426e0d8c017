package io.chiron.policy.global;

/**
 * Holt's linear exponential smoothing (level and trend) of a demand series, with the spread of its
 * one-step errors as the forecast's uncertainty. Pure arithmetic on the series handed in: the
 * series is the pool's recent interactive demand in instance-seconds per second, one value per
 * step, oldest first.
 */
final class DemandForecast {
    /** Smoothing of the level: how fast the forecast follows a new value. */
    static final double ALPHA = 0.5;

    /** Smoothing of the trend. */
    static final double BETA = 0.2;

    /**
     * @param mean the demand forecast {@code steps} ahead
     * @param sigma standard deviation of the one-step errors over the series
     * @param level the smoothed demand now
     * @param trend the smoothed change per step
     */
    record Forecast(double mean, double sigma, double level, double trend) {}

    /** Steps whose mean change starts the trend. */
    static final int INITIAL_TREND_STEPS = 3;

    /** How many standard deviations of the earlier levels a surge's rise must exceed. */
    static final double SURGE_SIGMAS = 3;

    private DemandForecast() {}

    /**
     * @param series at least two values, oldest first
     * @param steps how many steps ahead
     */
    static Forecast holt(double[] series, double alpha, double beta, int steps) {
        if (series.length < 2) {
            throw new IllegalArgumentException("Holt needs two values, had " + series.length);
        }
        double level = series[0];
        // The first trend: the mean change over the first few steps, not the first change alone,
        // which on a noisy series can point the wrong way and, at BETA, take minutes to forget.
        int k = Math.min(series.length - 1, INITIAL_TREND_STEPS);
        double trend = (series[k] - series[0]) / k;
        double squares = 0;
        for (int t = 1; t < series.length; t++) {
            double predicted = level + trend;
            double error = series[t] - predicted;
            squares += error * error;
            double previous = level;
            level = alpha * series[t] + (1 - alpha) * predicted;
            trend = beta * (level - previous) + (1 - beta) * trend;
        }
        double sigma = Math.sqrt(squares / (series.length - 1));
        return new Forecast(Math.max(0, level + steps * trend), sigma, level, trend);
    }

    /**
     * The demand {@code steps} ahead if the series is surging: its last two steps each rose by at
     * least {@code rise} times the step before (from nothing counts) to {@code rise} times the
     * highest step before them, carried forward at their mean slope, at most {@code cap} times the
     * last step; 0 when it is not surging or {@code rise} is 0. A rise sustained over two steps is
     * what tells a flash crowd or a start-up from a single burst, which Holt's smoothed trend is
     * right to discount.
     */
    static double surge(double[] series, double rise, int steps, double cap) {
        int n = series.length;
        if (rise <= 0 || n < 3) {
            return 0;
        }
        double a = series[n - 3];
        double b = series[n - 2];
        double c = series[n - 1];
        if (b <= 0 || b < rise * a || c < rise * b) {
            return 0;
        }
        // Above everything the history held before: a level seen before (recurring bursts, an
        // on/off load) is the burst reserve's to absorb, and scaling out for it starts
        // instances that serve after it is over.
        // And beyond the history's noise: bursty traffic makes new highs by chance while its
        // history is young; a crowd rises by many standard deviations of the level before it.
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < n - 3; i++) {
            if (c < rise * series[i]) {
                return 0;
            }
            sum += series[i];
            squares += series[i] * series[i];
        }
        int before = n - 3;
        if (before >= 2) {
            double mean = sum / before;
            double sd = Math.sqrt(Math.max(0, squares / before - mean * mean));
            if (c - a < SURGE_SIGMAS * sd) {
                return 0;
            }
        }
        return Math.min(cap * c, c + (c - a) / 2 * steps);
    }
}
