package io.chiron.policy.reference;

import io.chiron.policy.profile.LatencyModel;

/**
 * What the latency model allows a single request at best: the least GPU time its tokens can cost
 * under its SLO (the terms of the GPU-hour lower bound), and whether its bounds can be met at all,
 * alone on an idle instance (its feasibility).
 *
 * <p><b>The lower bound.</b> An engine iteration that decodes a batch (step {@code d}) and prefills
 * chunks (cost {@code p}) takes {@code max(d, p, d + p − floor)} in the model, which is at least
 * {@code d + max(0, p − floor)}; an iteration without decodes takes {@code p}, no less. So the GPU
 * time of any schedule is at least the sum over its iterations of the decode steps plus the prefill
 * cost above the shared weight read. Then, per request:
 *
 * <ul>
 *   <li><b>Prefill</b>: {@code p − floor = f(T) − floor + q·A}. The attention term adds up to
 *       {@code q·L²} over the chunks of a prompt of L tokens, however it is chunked ({@code Σ c·(2o
 *       + c) = L²}), and {@code f(T) − floor ≥ m·T} with {@code m = min_T (f(T) − floor)/T} over
 *       every iteration size T, the cheapest marginal per-token cost any iteration shape gives (f
 *       is piecewise-linear, so the minimum lies on a knot or at the last segment's slope).
 *       Recomputation after a preemption only adds.
 *   <li><b>Decode</b>: the output tokens after the first (which the prefill produces), each at
 *       {@code ℓ(c) = min_B D(B, c)/B} for its context c (prompt plus the tokens before it), over
 *       the batch sizes B that meet the request's ITL bound ({@code D(B, c) ≤ ITL}), fit the KV
 *       cache ({@code B·c ≤ capacity}) and the largest batch the fleet allows. This treats a
 *       token's batch-mates as having its own context; the model's decode step is linear in the
 *       mean context between measured contexts, so that is exact for a batch of equal contexts and
 *       an assumption otherwise (tested as a property: no simulated policy goes below the bound). ℓ
 *       is evaluated on a {@value #GRID}-token grid of contexts, each cell at the lower of its two
 *       ends and never above any cell further out, so the sum never exceeds the exact one.
 * </ul>
 *
 * No queueing, no cold start, no idle time, perfect packing: the sum over all requests, in
 * instance-seconds, is a lower bound on the GPU time of any schedule that meets every SLO.
 *
 * <p><b>Feasibility.</b> Alone on an idle instance: the prompt in chunks of the iteration budget,
 * nothing else in the iterations, then decode at B = 1. An interactive request is feasible when
 * that TTFT meets its TTFT bound and that mean ITL its ITL bound; a batch request when its whole
 * service fits before its deadline and its ITL bound holds.
 */
public final class ServiceBounds {
    /** Context grid of the decode cost table, tokens. */
    static final int GRID = 32;

    private final LatencyModel model;
    private final long kvCapacityTokens;
    private final int maxBatch;
    private final int chunkTokens;
    private final double prefillMsPerToken;
    private final double attentionMsPerSquareToken;
    private final java.util.Map<Double, double[]> decodeTables = new java.util.HashMap<>();

    /**
     * @param maxBatch the largest batch size the fleet allows (the guard's bound)
     * @param chunkTokens the iteration's token budget, for feasibility
     */
    public ServiceBounds(LatencyModel model, long kvCapacityTokens, int maxBatch, int chunkTokens) {
        this.model = model;
        this.kvCapacityTokens = kvCapacityTokens;
        this.maxBatch = maxBatch;
        this.chunkTokens = chunkTokens;
        this.prefillMsPerToken = cheapestPrefillMsPerToken(model);
        this.attentionMsPerSquareToken = model.attentionMsPerSquareToken();
    }

    /** {@code m = max(0, min_T (f(T) − floor)/T)}, over the knots and the asymptote. */
    static double cheapestPrefillMsPerToken(LatencyModel model) {
        double floor = model.floorMs();
        double best = Double.POSITIVE_INFINITY;
        // Between two knots, and below the first, (f(T) − floor)/T is monotone in T: the minimum
        // is at a knot or, beyond the last, the last segment's slope.
        for (long t : model.prefillKnots()) {
            best = Math.min(best, (model.prefillMs(t, 0) - floor) / t);
        }
        best = Math.min(best, model.prefillAsymptoticMsPerToken());
        return Math.max(0, best);
    }

    /** The cheapest marginal prefill cost per prompt token, ms, attention aside. */
    public double prefillMsPerToken() {
        return prefillMsPerToken;
    }

    /** The least GPU time of one request under its ITL bound, seconds. */
    public double lowerBoundSeconds(int prompt, int output, double itlBoundMs) {
        double ms =
                prefillMsPerToken * prompt + attentionMsPerSquareToken * (double) prompt * prompt;
        if (output > 1) {
            double[] table = decodeTable(itlBoundMs);
            // Token j (2..output) decodes at context prompt + j - 2.
            long from = prompt;
            long until = (long) prompt + output - 1; // exclusive
            long c = from;
            while (c < until) {
                int cell = (int) Math.min(table.length - 1, c / GRID);
                long cellEnd =
                        cell == table.length - 1 ? until : Math.min(until, (cell + 1L) * GRID);
                ms += table[cell] * (cellEnd - c);
                c = cellEnd;
            }
        }
        return ms / 1000;
    }

    /** The cheapest decode cost per token of each context cell, for one ITL bound. */
    private synchronized double[] decodeTable(double itlBoundMs) {
        return decodeTables.computeIfAbsent(itlBoundMs, this::buildDecodeTable);
    }

    private double[] buildDecodeTable(double itlBoundMs) {
        // Out to the context at which even B = 1 no longer fits the KV cache.
        int cells = (int) Math.min(1 << 16, kvCapacityTokens / GRID + 2);
        double[] at = new double[cells + 1];
        for (int k = 0; k <= cells; k++) {
            at[k] = cheapestDecodeMsPerToken((long) k * GRID, itlBoundMs);
        }
        double[] table = new double[cells];
        double suffixMin = Double.POSITIVE_INFINITY;
        for (int k = cells - 1; k >= 0; k--) {
            suffixMin = Math.min(suffixMin, Math.min(at[k], at[k + 1]));
            table[k] = suffixMin;
        }
        return table;
    }

    /** {@code min_B D(B, c)/B} over the allowed B; B = 1 when nothing else is allowed. */
    double cheapestDecodeMsPerToken(long context, double itlBoundMs) {
        int byKv = (int) Math.max(1, Math.min(maxBatch, kvCapacityTokens / Math.max(1, context)));
        double best = model.decodeMs(1, context);
        for (int b = 2; b <= byKv; b++) {
            double step = model.decodeMs(b, context);
            if (step > itlBoundMs) {
                break;
            }
            best = Math.min(best, step / b);
        }
        return best;
    }

    /** Time to first token alone on an idle instance: the prompt in budget-sized chunks, ms. */
    public double aloneTtftMs(int prompt) {
        double ms = 0;
        for (long done = 0; done < prompt; ) {
            long take = Math.min(chunkTokens, prompt - done);
            ms += model.prefillMs(take, (double) take * (2 * done + take));
            done += take;
        }
        return ms;
    }

    /** Mean inter-token latency alone on an idle instance (B = 1 at the mean context), ms. */
    public double aloneItlMs(int prompt, int output) {
        return output <= 1 ? 0 : model.decodeMs(1, prompt + output / 2.0);
    }

    /** Whether an interactive request's bounds can be met at all. */
    public boolean interactiveFeasible(int prompt, int output, double ttftBoundMs, double itlMs) {
        return aloneTtftMs(prompt) <= ttftBoundMs && aloneItlMs(prompt, output) <= itlMs;
    }

    /**
     * Whether a batch request can finish within {@code slackMs} of its arrival at its ITL bound.
     */
    public boolean batchFeasible(int prompt, int output, double slackMs, double itlMs) {
        double itl = aloneItlMs(prompt, output);
        return itl <= itlMs && aloneTtftMs(prompt) + itl * Math.max(0, output - 1) <= slackMs;
    }

    /**
     * The GPU-hour lower bound of a whole load: every request at {@link #lowerBoundSeconds} under
     * its class's ITL bound, summed.
     */
    public double lowerBoundGpuHours(Load load, double interactiveItlMs, double batchItlMs) {
        double seconds = 0;
        for (int i = 0; i < load.arrivalMs().length; i++) {
            boolean interactive = load.interactive()[i] || load.deadlineMs()[i] == 0;
            seconds +=
                    lowerBoundSeconds(
                            load.prompt()[i],
                            load.output()[i],
                            interactive ? interactiveItlMs : batchItlMs);
        }
        return seconds / 3600;
    }
}
