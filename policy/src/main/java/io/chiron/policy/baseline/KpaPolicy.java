package io.chiron.policy.baseline;

import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Knative KPA-style autoscaler on concurrency (running plus queued requests): desired = ⌈mean
 * concurrency over the 60 s stable window / target per instance⌉; when the last window alone asks
 * for twice the current count it panics and scales up at once, and never down while panicking (60
 * s); down otherwise one step at a time to the stable desire.
 */
public final class KpaPolicy extends ReplicaPolicy {
    private static final long STABLE_MS = 60_000;

    private final double targetConcurrency;
    private final ArrayDeque<double[]> history = new ArrayDeque<>();
    private long panicUntilMs;

    public KpaPolicy(double targetConcurrency, int minInstances, int maxInstances) {
        super("kpa", 5_000, minInstances, maxInstances);
        this.targetConcurrency = targetConcurrency;
    }

    @Override
    Want evaluate(
            List<InstanceSignal> running, PoolSignal pool, int current, long now, boolean due) {
        double concurrency =
                pool.getRunningInteractive()
                        + pool.getRunningBatch()
                        + pool.getQueueInteractive()
                        + pool.getQueueBatch();
        history.addLast(new double[] {now, concurrency});
        while (!history.isEmpty() && history.peekFirst()[0] <= now - STABLE_MS) {
            history.removeFirst();
        }
        if (!due) {
            return null;
        }
        double stable = history.stream().mapToDouble(h -> h[1]).average().orElse(0);
        int stableDesired = Math.max(1, (int) Math.ceil(stable / targetConcurrency));
        int panicDesired = Math.max(1, (int) Math.ceil(concurrency / targetConcurrency));
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("concurrency", concurrency);
        in.put("stable_concurrency", stable);
        if (panicDesired >= 2 * Math.max(1, current)) {
            panicUntilMs = now + STABLE_MS;
        }
        boolean panic = now < panicUntilMs;
        int desired =
                panic ? Math.max(current, Math.max(panicDesired, stableDesired)) : stableDesired;
        if (!panic && desired < current) {
            desired = current - 1;
        }
        return new Want(
                desired,
                String.format(
                        "concurrency %.0f (stable %.0f) at %.0f per instance%s: %d",
                        concurrency, stable, targetConcurrency, panic ? ", panic" : "", desired),
                in);
    }
}
