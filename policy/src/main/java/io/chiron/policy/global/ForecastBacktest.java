package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * The forecasters of {@link InteractiveRule} replayed on a demand series after the fact: at each
 * step, what each would have forecast {@code steps} ahead from the history up to it, against the
 * demand that came. The evidence for choosing one ({@code chiron.global.forecast}): the error, its
 * bias, and how often and by how much it fell short, which is what leaves a pool without capacity a
 * cold start later. Surges are left out: they lift every forecaster alike.
 */
public final class ForecastBacktest {
    /** Steps of history before the first forecast judged: the trend's 90 s. */
    static final int WARM_UP = 6;

    /** Steps of history Holt smooths, as the policy does: ten minutes of 15 s steps. */
    static final int HOLT_HISTORY = 40;

    /**
     * One forecaster's errors over the steps judged, in instance-seconds per second.
     *
     * @param mae mean absolute error
     * @param bias mean of forecast minus actual (negative: it forecasts too little)
     * @param shortFraction the fraction of steps where the actual demand exceeded the forecast
     * @param meanShortfall the mean of (actual - forecast) over those steps
     */
    public record Errors(
            int steps, double mae, double bias, double shortFraction, double meanShortfall) {}

    private ForecastBacktest() {}

    /**
     * The policy's forecast horizon in the series' 15 s steps: a cold start plus a period, rounded
     * up to whole steps, as {@link InteractiveRule} rounds it at 5 s windows.
     */
    public static int horizonSteps(ChironConfig config) {
        long ms = config.coldStart.toMillis() + config.globalPeriod.toMillis();
        return (int) Math.ceil((double) ms / InteractiveRule.STEP.toMillis());
    }

    /** The length of {@code steps} steps of the series. */
    public static Duration stepsToDuration(int steps) {
        return InteractiveRule.STEP.multipliedBy(steps);
    }

    /**
     * @param series the interactive demand of consecutive 15 s steps, oldest first (what {@link
     *     GlobalAutoscaler#INTERACTIVE_DEMAND} reports at each look)
     * @param steps how far ahead, in steps (the policy's horizon: cold start plus a period)
     * @return by forecaster: {@code last-30s} (the {@code off} forecaster), {@code trend}, {@code
     *     holt} (the point forecast) and {@code holt-sized} (what the policy sizes for with HOLT:
     *     the forecast plus {@code forecast-z} sigmas, at least the last 30 s, at most half again
     *     them) and {@code last-30s-sized} (the last 30 s with the same margin made from their own
     *     one-step errors: not a setting, the question whether Holt's trend adds anything); empty
     *     when the series is too short to judge one step
     */
    public static Map<String, Errors> run(double[] series, int steps, ChironConfig config) {
        double horizonSeconds = steps * InteractiveRule.STEP.toSeconds();
        Map<String, IntToDoubleFunction> forecasters = new LinkedHashMap<>();
        forecasters.put("last-30s", t -> recent(series, t));
        forecasters.put(
                "trend",
                t -> {
                    double recent = recent(series, t);
                    // The minute before the last 30 s; the spans' centres lie 45 s apart.
                    double older = mean(series, t - 5, t - 2);
                    double slope = Math.max(0, recent - older) / 45.0;
                    return recent + Math.min(0.5 * recent, slope * horizonSeconds);
                });
        forecasters.put("holt", t -> holt(series, t, steps).mean());
        forecasters.put(
                "holt-sized",
                t -> {
                    double recent = recent(series, t);
                    DemandForecast.Forecast f = holt(series, t, steps);
                    double upper = f.mean() + config.forecastZ * f.sigma();
                    return Math.max(recent, Math.min(1.5 * recent, upper));
                });
        forecasters.put(
                "last-30s-sized",
                t -> {
                    double recent = recent(series, t);
                    double upper = recent + config.forecastZ * persistenceSigma(series, t);
                    return Math.min(1.5 * recent, upper);
                });
        Map<String, Errors> out = new LinkedHashMap<>();
        if (series.length < WARM_UP + steps) {
            return out;
        }
        forecasters.forEach((name, f) -> out.put(name, judge(series, steps, f)));
        return out;
    }

    private static Errors judge(double[] series, int steps, IntToDoubleFunction forecast) {
        int n = 0;
        int shortSteps = 0;
        double absolute = 0;
        double signed = 0;
        double shortfall = 0;
        for (int t = WARM_UP - 1; t + steps < series.length; t++) {
            double error = forecast.applyAsDouble(t) - series[t + steps];
            n++;
            absolute += Math.abs(error);
            signed += error;
            if (error < 0) {
                shortSteps++;
                shortfall -= error;
            }
        }
        return new Errors(
                n,
                absolute / n,
                signed / n,
                (double) shortSteps / n,
                shortSteps == 0 ? 0 : shortfall / shortSteps);
    }

    /**
     * The spread of the last 30 s' one-step errors over the history Holt would smooth: the same
     * margin, made from the simpler forecaster's own errors.
     */
    private static double persistenceSigma(double[] series, int t) {
        int from = Math.max(2, t + 1 - HOLT_HISTORY);
        double squares = 0;
        int n = 0;
        for (int i = from; i <= t; i++) {
            double error = series[i] - recent(series, i - 1);
            squares += error * error;
            n++;
        }
        return n == 0 ? 0 : Math.sqrt(squares / n);
    }

    /** The last 30 s: the steps t - 1 and t. */
    private static double recent(double[] series, int t) {
        return mean(series, t - 1, t);
    }

    private static double mean(double[] series, int from, int to) {
        double sum = 0;
        for (int i = from; i <= to; i++) {
            sum += series[i];
        }
        return sum / (to - from + 1);
    }

    private static DemandForecast.Forecast holt(double[] series, int t, int steps) {
        int from = Math.max(0, t + 1 - HOLT_HISTORY);
        double[] history = Arrays.copyOfRange(series, from, t + 1);
        return DemandForecast.holt(history, DemandForecast.ALPHA, DemandForecast.BETA, steps);
    }
}
