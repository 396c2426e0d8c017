package io.chiron.policy.signals;

import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The running picture of one pool: the global queue per request group, rebuilt from the request
 * events window after window, and the output-length distribution of finished requests. Windows must
 * be applied in event-time order (the telemetry job's keyed window output is).
 */
public final class PoolBook implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Request groups a pool signal carries at most unless configured otherwise. */
    public static final int DEFAULT_MAX_GROUPS = 256;

    /** No overflow group: every group is its own. */
    private static final long NO_OVERFLOW = Long.MAX_VALUE;

    // group key -> {requests, prompt tokens}
    private final TreeMap<Long, long[]> queue = new TreeMap<>();
    private final int maxGroups;

    /**
     * Batch groups from this deadline bucket on are one overflow group, keyed by this bucket (the
     * earliest deadline among them, so the bound stays safe), while any of its requests wait.
     */
    private long overflowFrom = NO_OVERFLOW;

    private long folded;
    private long finished;
    private double outputSum;
    private double outputSquares;
    private double promptSum;

    private static final int FORMAT = 2;

    public PoolBook() {
        this(DEFAULT_MAX_GROUPS);
    }

    /**
     * @param maxGroups most request groups kept (at least 2: the interactive group and one batch
     *     group); beyond it the latest-deadline batch groups fold into one overflow group, so
     *     however many deadlines clients send, the pool signal stays small
     */
    public PoolBook(int maxGroups) {
        if (maxGroups < 2) {
            throw new IllegalArgumentException("at least 2 request groups, was " + maxGroups);
        }
        this.maxGroups = maxGroups;
    }

    /** Groups folded into the overflow group so far (a metric: clients send many deadlines). */
    public long foldedGroups() {
        return folded;
    }

    /** Writes the book in its compact binary form (for Flink state). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        out.writeInt(maxGroups);
        out.writeLong(overflowFrom);
        out.writeLong(folded);
        PoolWindow.writeGroups(out, queue);
        out.writeLong(finished);
        out.writeDouble(outputSum);
        out.writeDouble(outputSquares);
        out.writeDouble(promptSum);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static PoolBook readFrom(DataInput in) throws IOException {
        Binary.checkVersion(in, FORMAT, "pool book");
        PoolBook b = new PoolBook(in.readInt());
        b.overflowFrom = in.readLong();
        b.folded = in.readLong();
        PoolWindow.readGroups(in, b.queue);
        b.finished = in.readLong();
        b.outputSum = in.readDouble();
        b.outputSquares = in.readDouble();
        b.promptSum = in.readDouble();
        return b;
    }

    /** Folds the latest-deadline batch groups into one while there are more than the cap. */
    private void foldOverflow() {
        while (queue.size() > maxGroups) {
            Map.Entry<Long, long[]> last = queue.pollLastEntry();
            Map.Entry<Long, long[]> into = queue.lastEntry();
            if (into.getKey() == PoolWindow.INTERACTIVE_GROUP) {
                queue.put(last.getKey(), last.getValue()); // the interactive group stays alone
                return;
            }
            into.getValue()[0] += last.getValue()[0];
            into.getValue()[1] += last.getValue()[1];
            overflowFrom = into.getKey();
            folded++;
        }
    }

    /** Folds one window into the book and returns the pool's signal for that window. */
    public PoolSignal apply(PoolWindow w, long windowStartMs, long windowEndMs) {
        for (Map.Entry<Long, long[]> e : w.queueDelta.entrySet()) {
            // A request's arrival and its start fall into the same group: the overflow group
            // only widens while it holds requests, so both land in it once either does.
            long group = e.getKey() >= overflowFrom ? overflowFrom : e.getKey();
            long[] v = queue.computeIfAbsent(group, g -> new long[2]);
            v[0] += e.getValue()[0];
            v[1] += e.getValue()[1];
        }
        // A group emptied (or pushed below zero by events lost upstream) is forgotten.
        queue.values().removeIf(v -> v[0] <= 0);
        if (!queue.containsKey(overflowFrom)) {
            overflowFrom = NO_OVERFLOW;
        }
        foldOverflow();
        finished += w.finished;
        outputSum += w.outputSum;
        outputSquares += w.outputSquares;
        promptSum += w.promptSum;

        long queueInteractive = 0;
        long queueBatch = 0;
        List<QueueGroup> groups = new ArrayList<>();
        // Keys ascend: the interactive group (-1) first, then batch buckets earliest deadline
        // first.
        for (Iterator<Map.Entry<Long, long[]>> it = queue.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            boolean interactive = e.getKey() == PoolWindow.INTERACTIVE_GROUP;
            long requests = e.getValue()[0];
            if (interactive) {
                queueInteractive += requests;
            } else {
                queueBatch += requests;
            }
            groups.add(
                    QueueGroup.newBuilder()
                            .setRequestClass(
                                    interactive ? RequestClass.INTERACTIVE : RequestClass.BATCH)
                            .setSloBucketMs(interactive ? 0 : e.getKey())
                            // Deadlines are known to the bucket: its start is the safe bound.
                            .setEarliestDeadlineTsMs(interactive ? 0 : e.getKey())
                            .setRequests(requests)
                            .setPromptTokens(Math.max(0, e.getValue()[1]))
                            .build());
        }
        double mean = finished == 0 ? 0 : outputSum / finished;
        double variance = finished == 0 ? 0 : Math.max(0, outputSquares / finished - mean * mean);
        return PoolSignal.newBuilder()
                .setModel(w.model)
                .setWindowStartMs(windowStartMs)
                .setWindowEndMs(windowEndMs)
                .setInstancesInteractive(w.running[0])
                .setInstancesMixed(w.running[1])
                .setInstancesBatch(w.running[2])
                .setProvisioningInteractive(w.provisioning[0])
                .setProvisioningMixed(w.provisioning[1])
                .setProvisioningBatch(w.provisioning[2])
                .setDraining(w.draining)
                .setStaleInstances(w.stale)
                .setBatchCapInteractive(w.batchCap[0])
                .setBatchCapMixed(w.batchCap[1])
                .setBatchCapBatch(w.batchCap[2])
                .setRunningInteractive(w.runningInteractive)
                .setRunningBatch(w.runningBatch)
                .setOutputTokensPerS(w.outputTokensPerS)
                .setDecodeTokensPerSPerInstance(
                        w.busyInstances == 0 ? 0 : w.busyTokensPerS / w.busyInstances)
                .setBatchCapMean(w.runningInstances == 0 ? 0 : w.batchCapSum / w.runningInstances)
                .setArrivalsInteractive(w.arrivalsInteractive)
                .setArrivalsBatch(w.arrivalsBatch)
                .setArrivalPromptTokensInteractive(w.arrivalPromptInteractive)
                .setQueueInteractive(queueInteractive)
                .setQueueBatch(queueBatch)
                .setQueueGroups(groups)
                .setOutputTokensMean(mean)
                .setOutputTokensStd(Math.sqrt(variance))
                .setPromptTokensMean(finished == 0 ? 0 : promptSum / finished)
                .setItlP95Ms(w.itlP95Max)
                .setTtftP95Ms(w.ttftP95Max)
                .setCompletionsInteractive(w.completionsInteractive)
                .setSloMetInteractive(w.sloMetInteractive)
                .setCompletionsBatch(w.completionsBatch)
                .setSloMetBatch(w.sloMetBatch)
                .build();
    }
}
