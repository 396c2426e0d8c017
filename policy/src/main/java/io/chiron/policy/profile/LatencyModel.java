package io.chiron.policy.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Iteration latency of a continuous-batching engine, calibrated on a {@link GpuProfile}.
 *
 * <ul>
 *   <li><b>Decode step</b> {@code D(B, ctx)}: piecewise-linear in the batch size B at each measured
 *       context length, and linear in the mean context between (and beyond) the measured contexts.
 *       Decode attention reads every cached token once, so its cost is linear in the summed
 *       context: interpolating linearly in the mean context is exact for that term. Beyond the
 *       largest measured B the last segment's slope continues.
 *   <li><b>Prefill</b> {@code P(T, A)}: for T prompt tokens in the iteration and attention work
 *       {@code A = Σ c·(2o + c)} over its chunks (c tokens at offset o; {@code L²} for a whole
 *       prompt of L), {@code P = f(T) + q·A}: f piecewise-linear in T through the measured totals,
 *       q fitted on the rows that share a total but differ in sequence length (the quadratic
 *       attention of long prompts).
 *   <li><b>Mixed iteration</b> (chunked prefill beside decodes): {@code D + P − floor}, where the
 *       floor, the fastest measured step, is the weight read both phases would otherwise count. The
 *       profile does not measure mixed batches; this assumes the two phases share one weight read
 *       and add everything else.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class LatencyModel {
    private final GpuProfile profile;
    private final double[] contexts;
    private final double[][] decodeBatch;
    private final double[][] decodeMs;
    private final double[] prefillTokens;
    private final double[] prefillBase;
    private final double attentionMsPerSquareToken;
    private final double floorMs;

    public LatencyModel(GpuProfile profile) {
        this.profile = profile;
        TreeMap<Integer, TreeMap<Integer, Double>> byContext = new TreeMap<>();
        for (GpuProfile.Row r : profile.decodeRows()) {
            byContext
                    .computeIfAbsent(r.contextTokens(), c -> new TreeMap<>())
                    .put(r.batchSize(), r.latencyMs());
        }
        contexts = new double[byContext.size()];
        decodeBatch = new double[byContext.size()][];
        decodeMs = new double[byContext.size()][];
        int i = 0;
        for (Map.Entry<Integer, TreeMap<Integer, Double>> e : byContext.entrySet()) {
            contexts[i] = e.getKey();
            decodeBatch[i] =
                    e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            decodeMs[i] = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            i++;
        }

        // Prefill: q from within-total variation, then f(T) = mean(latency - q*A) per total T.
        TreeMap<Long, List<double[]>> byTotal = new TreeMap<>();
        for (GpuProfile.Row r : profile.prefillRows()) {
            long total = (long) r.batchSize() * r.promptTokens();
            double attention = (double) r.batchSize() * r.promptTokens() * r.promptTokens();
            byTotal.computeIfAbsent(total, t -> new ArrayList<>())
                    .add(new double[] {attention, r.latencyMs()});
        }
        double sxy = 0;
        double sxx = 0;
        for (List<double[]> group : byTotal.values()) {
            if (group.size() < 2) {
                continue;
            }
            double meanA = group.stream().mapToDouble(g -> g[0]).average().orElse(0);
            double meanT = group.stream().mapToDouble(g -> g[1]).average().orElse(0);
            for (double[] g : group) {
                sxy += (g[0] - meanA) * (g[1] - meanT);
                sxx += (g[0] - meanA) * (g[0] - meanA);
            }
        }
        attentionMsPerSquareToken = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
        prefillTokens = new double[byTotal.size()];
        prefillBase = new double[byTotal.size()];
        int j = 0;
        for (Map.Entry<Long, List<double[]>> e : byTotal.entrySet()) {
            prefillTokens[j] = e.getKey();
            prefillBase[j] =
                    e.getValue().stream()
                            .mapToDouble(g -> g[1] - attentionMsPerSquareToken * g[0])
                            .average()
                            .orElseThrow();
            j++;
        }
        floorMs =
                profile.decodeRows().stream()
                        .mapToDouble(GpuProfile.Row::latencyMs)
                        .min()
                        .orElseThrow();
    }

    public GpuProfile profile() {
        return profile;
    }

    /**
     * Latency of one decode step of {@code batch} sequences, ms.
     *
     * @param meanContext mean tokens already in each sequence's KV cache before the step
     */
    public double decodeMs(int batch, double meanContext) {
        if (batch <= 0) {
            return 0;
        }
        if (contexts.length == 1) {
            return piecewise(decodeBatch[0], decodeMs[0], batch);
        }
        int hi = 1;
        while (hi < contexts.length - 1 && contexts[hi] < meanContext) {
            hi++;
        }
        int lo = hi - 1;
        double atLo = piecewise(decodeBatch[lo], decodeMs[lo], batch);
        double atHi = piecewise(decodeBatch[hi], decodeMs[hi], batch);
        double slope = (atHi - atLo) / (contexts[hi] - contexts[lo]);
        return Math.max(floorMs * 0.5, atLo + slope * (meanContext - contexts[lo]));
    }

    /**
     * Latency of prefilling {@code tokens} prompt tokens in one iteration, ms.
     *
     * @param attentionWork {@code Σ c·(2o + c)} over the chunks, see the class comment
     */
    public double prefillMs(long tokens, double attentionWork) {
        if (tokens <= 0) {
            return 0;
        }
        return piecewise(prefillTokens, prefillBase, tokens)
                + attentionMsPerSquareToken * attentionWork;
    }

    /** One engine iteration: a decode step of {@code decodeBatch} sequences plus prefill chunks. */
    public double iterationMs(
            int decodeBatch, double meanContext, long prefillTokens, double attentionWork) {
        double d = decodeMs(decodeBatch, meanContext);
        double p = prefillMs(prefillTokens, attentionWork);
        if (d == 0 || p == 0) {
            return d + p;
        }
        return Math.max(Math.max(d, p), d + p - floorMs);
    }

    /** Decode throughput T(B) of one instance, output tokens per second. */
    public double decodeTokensPerSecond(int batch, double meanContext) {
        return batch <= 0 ? 0 : batch * 1000.0 / decodeMs(batch, meanContext);
    }

    /** The largest batch size in [1, maxBatch] whose decode step stays within {@code itlMs}. */
    public int largestBatchWithin(double itlMs, double meanContext, int maxBatch) {
        int best = 1;
        for (int b = 1; b <= maxBatch; b++) {
            if (decodeMs(b, meanContext) <= itlMs) {
                best = b;
            } else {
                break;
            }
        }
        return best;
    }

    /** Prompt-token totals at which the profile measured prefill: the knots of f(T). */
    public long[] prefillKnots() {
        long[] knots = new long[prefillTokens.length];
        for (int i = 0; i < knots.length; i++) {
            knots[i] = (long) prefillTokens[i];
        }
        return knots;
    }

    /**
     * The slope of f(T) beyond the last knot, ms per token: prefill's cost per token as T grows.
     */
    public double prefillAsymptoticMsPerToken() {
        int n = prefillTokens.length;
        return n < 2
                ? 0
                : (prefillBase[n - 1] - prefillBase[n - 2])
                        / (prefillTokens[n - 1] - prefillTokens[n - 2]);
    }

    /**
     * The largest batch size in [1, maxBatch] whose iteration, a decode step of B sequences plus a
     * prefill chunk of the rest of the iteration budget, stays within {@code itlMs}: the ITL a
     * decoding sequence sees while prompts arrive. Not monotone in B (a larger batch leaves less of
     * the budget to prefill), so every B is tried; 1 when none fits.
     */
    public int largestBatchWithChunkWithin(
            double itlMs, double meanContext, int maxBatch, int budgetTokens) {
        int best = 1;
        for (int b = 1; b <= maxBatch; b++) {
            long prefill = Math.max(0, budgetTokens - b);
            if (iterationMs(b, meanContext, prefill, (double) prefill * prefill) <= itlMs) {
                best = b;
            }
        }
        return best;
    }

    /** The fastest measured step: the weight read every iteration pays, ms. */
    public double floorMs() {
        return floorMs;
    }

    /** Fitted cost of attention in prefill, ms per squared token. */
    public double attentionMsPerSquareToken() {
        return attentionMsPerSquareToken;
    }

    /** The model's relative error at every measured point of its profile. */
    public List<FitPoint> fit() {
        List<FitPoint> points = new ArrayList<>();
        for (GpuProfile.Row r : profile.decodeRows()) {
            points.add(new FitPoint(r, decodeMs(r.batchSize(), r.contextTokens())));
        }
        for (GpuProfile.Row r : profile.prefillRows()) {
            long tokens = (long) r.batchSize() * r.promptTokens();
            points.add(new FitPoint(r, prefillMs(tokens, (double) tokens * r.promptTokens())));
        }
        return points;
    }

    /** One measured point and what the model predicts for it. */
    public record FitPoint(GpuProfile.Row row, double modelMs) {
        public double relativeError() {
            return (modelMs - row.latencyMs()) / row.latencyMs();
        }
    }

    /** Piecewise-linear through (x[i], y[i]); flat below the first knot, last slope beyond. */
    private static double piecewise(double[] x, double[] y, double at) {
        if (x.length == 1 || at <= x[0]) {
            return y[0];
        }
        int i = 1;
        while (i < x.length - 1 && x[i] < at) {
            i++;
        }
        double slope = (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
        return y[i - 1] + slope * (at - x[i - 1]);
    }
}
