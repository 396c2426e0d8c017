package io.chiron.policy.global;

import io.chiron.core.LoopTiming;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.PoolSignal;

import java.io.Serializable;
import java.time.Duration;

/**
 * The pool's load in instance-seconds, as the rules price it: decode at T(B) of the pool's mean B
 * and context, prefill at the profile's cost per token of a full chunk, and the interactive
 * arrivals of the recent windows. Durations, not window counts: the arithmetic holds at any window
 * length.
 */
final class PoolLoad implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Output length assumed before any request has finished, tokens. */
    static final double DEFAULT_OUTPUT = 256;

    /** Batch size assumed before any instance reports one. */
    static final double DEFAULT_BATCH = 64;

    /** How much interactive arrival history the rules look at. */
    static final Duration HISTORY = Duration.ofMinutes(10);

    private final LatencyModel model;
    private final LoopTiming timing;
    private final double prefillSecondsPerToken;

    /**
     * @param iterationTokens the engine's token budget per iteration, decodes included
     */
    PoolLoad(LatencyModel model, LoopTiming timing, int iterationTokens) {
        this.model = model;
        this.timing = timing;
        int chunk = Math.max(1, iterationTokens);
        this.prefillSecondsPerToken =
                Math.max(0, model.prefillMs(chunk, 0) - model.floorMs()) / chunk / 1000;
    }

    LoopTiming timing() {
        return timing;
    }

    double tokensPerSecond(PoolSignal p) {
        double batchCap = p.getBatchCapMean() > 0 ? p.getBatchCapMean() : DEFAULT_BATCH;
        double context = p.getPromptTokensMean() + p.getOutputTokensMean() / 2;
        return model.decodeTokensPerSecond((int) Math.round(batchCap), context);
    }

    /**
     * Prefill's cost per prompt token as the engine runs it: in chunks of the iteration budget
     * beside the decodes, each adding its time above the weight read the iteration pays anyway.
     */
    double prefillSecondsPerToken() {
        return prefillSecondsPerToken;
    }

    static double meanOutput(PoolSignal p) {
        return p.getOutputTokensMean() > 0 ? p.getOutputTokensMean() : DEFAULT_OUTPUT;
    }

    /** Whether the pool has seen arrivals as far back as {@code ago + span}. */
    boolean hasHistory(PoolState state, Duration ago, Duration span) {
        return state.arrivalWindows >= windowsAgo(ago) + timing.windows(span);
    }

    private int windowsAgo(Duration ago) {
        return ago.isZero() ? 0 : timing.windows(ago);
    }

    /**
     * Instance-seconds per second that the interactive arrivals of {@code span} bring, ending
     * {@code ago} before the newest window: their prompt tokens at the prefill cost, their outputs
     * (the mean so far) at 1/T(B). A young pool counts the windows it has.
     */
    double interactiveNeed(PoolSignal p, PoolState state, Duration ago, Duration span) {
        int skip = windowsAgo(ago);
        int windows = Math.min(timing.windows(span), state.arrivalWindows - skip);
        if (windows <= 0) {
            return 0;
        }
        long arrivals = 0;
        long prompt = 0;
        for (int k = 1 + skip; k <= skip + windows; k++) {
            int slot = Math.floorMod(state.arrivalCursor - k, state.arrivals.length);
            arrivals += state.arrivals[slot];
            prompt += state.arrivalPrompt[slot];
        }
        return (prompt * prefillSecondsPerToken() + arrivals * meanOutput(p) / tokensPerSecond(p))
                / timing.seconds(windows);
    }

    /**
     * The interactive demand of the history in steps of {@code step} (whole windows), oldest first,
     * in instance-seconds per second as {@link #interactiveNeed} prices it; only complete steps.
     */
    double[] interactiveNeedSeries(PoolSignal p, PoolState state, Duration step) {
        int per = timing.windows(step);
        int steps = state.arrivalWindows / per;
        double[] series = new double[steps];
        for (int i = 0; i < steps; i++) {
            // Step i (oldest first) ends (steps - 1 - i) steps before the newest window.
            series[i] =
                    interactiveNeed(
                            p,
                            state,
                            Duration.ofMillis(
                                    (long) (steps - 1 - i) * per * timing.window().toMillis()),
                            Duration.ofMillis((long) per * timing.window().toMillis()));
        }
        return series;
    }

    /** The length of a step of {@link #interactiveNeedSeries}: whole windows, at least one. */
    Duration seriesStep(Duration step) {
        return Duration.ofMillis(timing.windows(step) * timing.window().toMillis());
    }

    /** The same over all the history the pool has. */
    double interactiveNeedOverHistory(PoolSignal p, PoolState state) {
        return interactiveNeed(p, state, Duration.ZERO, HISTORY);
    }

    void recordArrivals(PoolSignal p, PoolState state) {
        int size = timing.windows(HISTORY);
        if (state.arrivals.length != size) {
            state.arrivals = new long[size];
            state.arrivalPrompt = new long[size];
            state.arrivalCursor = 0;
            state.arrivalWindows = 0;
        }
        state.arrivals[state.arrivalCursor] = p.getArrivalsInteractive();
        state.arrivalPrompt[state.arrivalCursor] = p.getArrivalPromptTokensInteractive();
        state.arrivalCursor = (state.arrivalCursor + 1) % size;
        state.arrivalWindows = Math.min(size, state.arrivalWindows + 1);
    }

    /**
     * Peak-to-mean of the interactive arrivals' work, priced as {@link #interactiveNeed} prices it
     * (prompt tokens at the prefill cost, outputs at 1/T(B)): the busiest interval of {@code burst}
     * (whole windows) in the history against the mean of such intervals; 1 until one has been seen.
     * In work, not in requests: a burst of long prompts is a burst of prefill even when the request
     * rate barely moves.
     */
    double peakToMean(PoolSignal p, PoolState state, Duration burst) {
        int n = state.arrivalWindows;
        int span = timing.windows(burst);
        if (n < span) {
            return 1;
        }
        int size = state.arrivals.length;
        double perRequest = meanOutput(p) / tokensPerSecond(p);
        double total = 0;
        double[] ordered = new double[n];
        for (int k = 0; k < n; k++) {
            int slot = Math.floorMod(state.arrivalCursor - n + k, size);
            ordered[k] =
                    state.arrivalPrompt[slot] * prefillSecondsPerToken
                            + state.arrivals[slot] * perRequest;
            total += ordered[k];
        }
        if (total <= 0) {
            return 1;
        }
        double window = 0;
        double peak = 0;
        for (int k = 0; k < n; k++) {
            window += ordered[k];
            if (k >= span) {
                window -= ordered[k - span];
            }
            if (k >= span - 1) {
                peak = Math.max(peak, window);
            }
        }
        double mean = total * span / n;
        return Math.max(1, peak / mean);
    }
}
