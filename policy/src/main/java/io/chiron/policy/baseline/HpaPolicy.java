package io.chiron.policy.baseline;

import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes HPA (autoscaling/v2, default behavior) on a per-pod request-utilization metric:
 * (running + the pod's share of the queued requests) / B, the ratio of vLLM's {@code
 * num_requests_running + num_requests_waiting} to its {@code max_num_seqs} that such setups scale
 * on (KV-cache use saturates with B and hides a queue). As the HPA controller computes it ({@code
 * replica_calculator.go}), every 15 s:
 *
 * <ul>
 *   <li>the usage ratio {@code r = mean utilization over ready pods / target}; within the 10 %
 *       tolerance, no change;
 *   <li>pods that are not ready (cold-starting) have no metric: for a scale-up they count at 0 %
 *       and the ratio is recomputed over all pods, and if that no longer asks for more, no change;
 *       for a scale-down they count at 100 % of the target. Otherwise {@code desired = ⌈r ×
 *       ready⌉}, so load is never multiplied by pods that are still starting;
 *   <li>scale-up at most to {@code max(2 × current, current + 4)} per period (the default policies:
 *       100 % or 4 pods per 15 s, the larger);
 *   <li>scale-down to the highest recommendation of the last 5 minutes (the default stabilization
 *       window).
 * </ul>
 */
public final class HpaPolicy extends ReplicaPolicy {
    private static final long STABILIZATION_MS = 300_000;
    private static final double TOLERANCE = 0.1;

    private final double target;
    private final ArrayDeque<long[]> recommendations = new ArrayDeque<>();

    public HpaPolicy(double targetUtilization, int minInstances, int maxInstances) {
        super("hpa", 15_000, minInstances, maxInstances);
        this.target = targetUtilization;
    }

    @Override
    Want evaluate(
            List<InstanceSignal> running, PoolSignal pool, int current, long now, boolean due) {
        if (!due) {
            return null;
        }
        int ready = running.size();
        if (ready == 0) {
            return new Want(Math.max(1, current), "no pod ready: hold", Map.of());
        }
        int notReady = Math.max(0, current - ready);
        double queued = (double) (queue(pool)) / ready;
        double sum = 0;
        for (InstanceSignal s : running) {
            sum += (s.getRunningMean() + queued) / Math.max(1, s.getBatchCap());
        }
        double ratio = sum / ready / target;
        int desired;
        if (Math.abs(ratio - 1) <= TOLERANCE) {
            desired = current;
        } else if (ratio > 1 && notReady > 0) {
            double withMissing = sum / (ready + notReady) / target;
            desired =
                    withMissing <= 1 + TOLERANCE
                            ? current
                            : (int) Math.ceil(withMissing * (ready + notReady));
        } else if (ratio < 1 && notReady > 0) {
            double withMissing = (sum + notReady * target) / (ready + notReady) / target;
            desired =
                    Math.abs(withMissing - 1) <= TOLERANCE
                            ? current
                            : (int) Math.ceil(withMissing * (ready + notReady));
        } else {
            desired = (int) Math.ceil(ratio * ready);
        }
        int limited = Math.min(desired, Math.max(2 * current, current + 4));
        recommendations.addLast(new long[] {now, limited});
        while (recommendations.peekFirst()[0] < now - STABILIZATION_MS) {
            recommendations.removeFirst();
        }
        int stabilized = limited;
        if (limited < current) {
            for (long[] r : recommendations) {
                stabilized = (int) Math.max(stabilized, Math.min(current, r[1]));
            }
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("request_utilization", sum / ready);
        in.put("ready_pods", (double) ready);
        in.put("not_ready_pods", (double) notReady);
        in.put("desired", (double) desired);
        return new Want(
                stabilized,
                String.format(
                        "request utilization %.2f over %d ready pods vs target %.2f (%d not ready):"
                                + " desired %d, %d after the scale-up limit and stabilization",
                        sum / ready, ready, target, notReady, desired, stabilized),
                in);
    }

    private static long queue(PoolSignal pool) {
        return pool.getQueueInteractive() + pool.getQueueBatch();
    }
}
