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
        double trend = series[1] - series[0];
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
}
