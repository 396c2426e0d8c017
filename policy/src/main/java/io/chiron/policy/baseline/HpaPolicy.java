package io.chiron.policy.baseline;

import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes HPA on request utilization: per pod, (running + its share of the queued requests) /
 * B, the ratio of vLLM's {@code num_requests_running + num_requests_waiting} to its {@code
 * max_num_seqs} that such setups scale on (KV-cache use saturates with B and hides a queue). Every
 * 15 s, {@code desired = ⌈current × utilization / target⌉}, no change within the 10 % tolerance;
 * scale-up at once, scale-down to the highest desired count of the last 5 minutes (HPA's default
 * stabilization window).
 */
public final class HpaPolicy extends ReplicaPolicy {
    private static final long STABILIZATION_MS = 300_000;

    private final double target;
    private final ArrayDeque<long[]> history = new ArrayDeque<>();

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
        if (running.isEmpty()) {
            return new Want(Math.max(1, current), "no pod ready", Map.of());
        }
        double queued =
                (double) (pool.getQueueInteractive() + pool.getQueueBatch()) / running.size();
        double utilization =
                running.stream()
                        .mapToDouble(
                                s -> (s.getRunningMean() + queued) / Math.max(1, s.getBatchCap()))
                        .average()
                        .orElse(0);
        double ratio = utilization / target;
        int desired = Math.abs(ratio - 1) <= 0.1 ? current : (int) Math.ceil(current * ratio);
        history.addLast(new long[] {now, desired});
        while (!history.isEmpty() && history.peekFirst()[0] < now - STABILIZATION_MS) {
            history.removeFirst();
        }
        int stabilized = desired;
        if (desired < current) {
            for (long[] h : history) {
                stabilized = (int) Math.max(stabilized, h[1]);
            }
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("request_utilization", utilization);
        in.put("desired", (double) desired);
        return new Want(
                stabilized,
                String.format(
                        "request utilization %.2f vs target %.2f: desired %d, after stabilization %d",
                        utilization, target, desired, stabilized),
                in);
    }
}
