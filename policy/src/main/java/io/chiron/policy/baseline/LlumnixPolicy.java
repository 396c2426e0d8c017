package io.chiron.policy.baseline;

import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Llumnix's autoscaling (AlibabaPAI/llumnix at 4029b00, the version current when Chiron was
 * written): every 10 s, the average instance <em>freeness</em>, {@code (free KV blocks − blocks
 * needed by waiting requests) / (running + waiting requests)} in 16-token blocks; scale out by one
 * when it falls below the scale-out threshold, scale in by one when it would stay above the
 * scale-in threshold with one instance fewer. Waiting requests sit in Chiron's global queue rather
 * than on instances, so they are spread evenly over the instances.
 */
public final class LlumnixPolicy extends ReplicaPolicy {
    /** Llumnix's published defaults. */
    public static final double UNTUNED_SCALE_OUT_BELOW = 10;

    public static final double UNTUNED_SCALE_IN_ABOVE = 60;

    private static final int BLOCK_TOKENS = 16;

    private final double scaleOutBelow;
    private final double scaleInAbove;
    private final double blocksPerInstance;

    /**
     * @param kvCapacityTokens KV-cache capacity of one instance, tokens
     */
    public LlumnixPolicy(
            String name,
            double scaleOutBelow,
            double scaleInAbove,
            long kvCapacityTokens,
            int minInstances,
            int maxInstances) {
        super(name, 10_000, minInstances, maxInstances);
        this.scaleOutBelow = scaleOutBelow;
        this.scaleInAbove = scaleInAbove;
        this.blocksPerInstance = (double) kvCapacityTokens / BLOCK_TOKENS;
    }

    @Override
    Want evaluate(
            List<InstanceSignal> running, PoolSignal pool, int current, long now, boolean due) {
        if (!due || running.isEmpty()) {
            return running.isEmpty() && due
                    ? new Want(Math.max(1, current), "no instance running", Map.of())
                    : null;
        }
        int n = running.size();
        double waiting = pool.getQueueInteractive() + pool.getQueueBatch();
        double waitingBlocks = 0;
        for (QueueGroup g : pool.getQueueGroups()) {
            waitingBlocks += Math.ceil((double) g.getPromptTokens() / BLOCK_TOKENS);
        }
        double sum = 0;
        double freeTotal = 0;
        double runningTotal = 0;
        for (InstanceSignal s : running) {
            double free = (1 - s.getKvUtilMean()) * blocksPerInstance;
            freeTotal += free;
            runningTotal += s.getRunningMean();
            sum += (free - waitingBlocks / n) / Math.max(1, s.getRunningMean() + waiting / n);
        }
        double freeness = sum / n;
        // With one instance fewer: its whole cache gone, the same requests on the rest.
        double fewer =
                (freeTotal - blocksPerInstance - waitingBlocks)
                        / Math.max(1, runningTotal + waiting);
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("freeness", freeness);
        in.put("freeness_one_fewer", fewer);
        in.put("waiting", waiting);
        if (freeness < scaleOutBelow) {
            return new Want(
                    current + 1,
                    String.format(
                            "average freeness %.1f < %.0f: one more", freeness, scaleOutBelow),
                    in);
        }
        if (n > 1 && fewer > scaleInAbove) {
            return new Want(
                    current - 1,
                    String.format(
                            "freeness with one instance fewer %.1f > %.0f: one fewer",
                            fewer, scaleInAbove),
                    in);
        }
        return null;
    }
}
