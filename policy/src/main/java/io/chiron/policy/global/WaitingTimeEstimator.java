package io.chiron.policy.global;

import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;

import java.util.List;

/**
 * The batch waiting-time estimate of DESIGN.md §2. With N queued requests whose work has mean μ and
 * standard deviation σ (instance-seconds), m instances drain them within
 *
 * <pre>W = (N·μ + z·√N·σ) / m</pre>
 *
 * with probability about Φ(z) by the central limit theorem; the relative margin z·σ/(√N·μ) shrinks
 * as N grows, so a large queue is estimated tightly. A request's work is its prompt at the profiled
 * prefill cost per token plus its output at 1/T(B) per token.
 */
public final class WaitingTimeEstimator {
    private WaitingTimeEstimator() {}

    /** The smallest capacity (in instances) that meets every batch group, and which group binds. */
    public record Requirement(double instances, QueueGroup binding, boolean feasible) {
        static final Requirement NONE = new Requirement(0, null, true);
    }

    /** W in seconds for {@code n} requests of mean work {@code mu} and deviation {@code sigma}. */
    public static double waitSeconds(long n, double mu, double sigma, double z, double instances) {
        if (n <= 0) {
            return 0;
        }
        if (instances <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return (n * mu + z * Math.sqrt(n) * sigma) / instances;
    }

    /**
     * Walks the batch groups earliest deadline first and returns the capacity every group needs for
     * its cumulative work to finish {@code reserveSeconds} before its deadline.
     *
     * @param groups queue groups, batch groups in ascending deadline order (as a PoolSignal has
     *     them); interactive groups are skipped
     * @param prefillSecondsPerToken profiled prefill cost, instance-seconds per prompt token
     * @param outputMean μ of the output length, tokens
     * @param outputStd σ of the output length, tokens
     * @param tokensPerSecond T(B), decode tokens per second of one instance
     * @param maxInstances the answer when a deadline cannot be met at all
     */
    public static Requirement required(
            List<QueueGroup> groups,
            long nowMs,
            double prefillSecondsPerToken,
            double outputMean,
            double outputStd,
            double tokensPerSecond,
            double z,
            double reserveSeconds,
            int maxInstances) {
        Requirement worst = Requirement.NONE;
        long n = 0;
        double work = 0;
        double sigma = outputStd / tokensPerSecond;
        for (QueueGroup g : groups) {
            if (g.getRequestClass() != RequestClass.BATCH || g.getRequests() <= 0) {
                continue;
            }
            n += g.getRequests();
            work +=
                    g.getPromptTokens() * prefillSecondsPerToken
                            + g.getRequests() * outputMean / tokensPerSecond;
            double budget = (g.getEarliestDeadlineTsMs() - nowMs) / 1000.0 - reserveSeconds;
            double needed =
                    budget <= 0
                            ? Double.POSITIVE_INFINITY
                            : (work + z * Math.sqrt(n) * sigma) / budget;
            if (needed > worst.instances()) {
                boolean feasible = needed <= maxInstances;
                worst = new Requirement(Math.min(needed, maxInstances), g, feasible);
            }
        }
        return worst;
    }
}
