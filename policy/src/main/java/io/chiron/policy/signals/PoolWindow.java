package io.chiron.policy.signals;

import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates one pool's window: the instance signals of its instances and the request events of
 * its queue. {@link PoolBook} folds successive windows into the cumulative queue and emits the
 * {@link io.chiron.records.PoolSignal}.
 */
public final class PoolWindow implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Group key of the INTERACTIVE group (batch groups are keyed by their deadline bucket). */
    static final long INTERACTIVE_GROUP = -1L;

    String model;
    int[] running = new int[3];
    int[] provisioning = new int[3];
    int draining;
    int stale;
    long[] batchCap = new long[3];
    long runningInteractive;
    long runningBatch;
    double outputTokensPerS;
    double busyTokensPerS;
    int busyInstances;
    double batchCapSum;
    int runningInstances;
    double itlP95Max;
    double ttftP95Max;
    long completionsInteractive;
    long sloMetInteractive;
    long completionsBatch;
    long sloMetBatch;
    long arrivalsInteractive;
    long arrivalsBatch;
    long arrivalPromptInteractive;
    // group key -> {requests, prompt tokens}, as deltas over the window
    final TreeMap<Long, long[]> queueDelta = new TreeMap<>();
    long finished;
    double outputSum;
    double outputSquares;
    double promptSum;

    /**
     * @param expectedHeartbeats heartbeats a fully reporting instance sends in one window; fewer
     *     than half marks the instance stale
     */
    public void add(InstanceSignal s, int expectedHeartbeats) {
        model = s.getModel();
        if (s.getHeartbeats() * 2 < expectedHeartbeats && s.getState() != InstanceState.STOPPED) {
            stale++;
        }
        int role = s.getRole().ordinal();
        switch (s.getState()) {
            case PROVISIONING -> provisioning[role]++;
            case DRAINING -> draining++;
            case RUNNING -> {
                running[role]++;
                batchCap[role] += s.getBatchCap();
                batchCapSum += s.getBatchCap();
                runningInstances++;
            }
            case STOPPED -> {
                return;
            }
        }
        runningInteractive += s.getRunningInteractive();
        runningBatch += s.getRunningBatch();
        outputTokensPerS += s.getOutputTokensPerS();
        if (s.getDecodeSteps() > 0) {
            busyTokensPerS += s.getOutputTokensPerS();
            busyInstances++;
        }
        itlP95Max = Math.max(itlP95Max, s.getItlP95Ms());
        if (s.getCompletionsInteractive() > 0) {
            ttftP95Max = Math.max(ttftP95Max, s.getTtftP95Ms());
        }
        completionsInteractive += s.getCompletionsInteractive();
        sloMetInteractive += s.getSloMetInteractive();
        completionsBatch += s.getCompletionsBatch();
        sloMetBatch += s.getSloMetBatch();
    }

    /**
     * @param bucketMs width of the deadline buckets that group batch requests
     */
    public void add(RequestEvent e, long bucketMs) {
        model = e.getModel();
        boolean interactive = e.getRequestClass() == RequestClass.INTERACTIVE;
        long group = groupOf(e, bucketMs);
        switch (e.getType()) {
            case ARRIVED -> {
                if (interactive) {
                    arrivalsInteractive++;
                    arrivalPromptInteractive += e.getPromptTokens();
                } else {
                    arrivalsBatch++;
                }
                queue(group, 1, e.getPromptTokens());
            }
            case PREEMPTED -> queue(group, 1, e.getPromptTokens());
            case STARTED -> queue(group, -1, -e.getPromptTokens());
            case DROPPED -> {
                // Dropped from the queue (no instance): it leaves the queue. Dropped while
                // running: it had left the queue already.
                if (e.getInstanceId() == null) {
                    queue(group, -1, -e.getPromptTokens());
                }
            }
            case FINISHED -> {
                finished++;
                outputSum += e.getOutputTokens();
                outputSquares += (double) e.getOutputTokens() * e.getOutputTokens();
                promptSum += e.getPromptTokens();
            }
        }
    }

    static long groupOf(RequestEvent e, long bucketMs) {
        if (e.getRequestClass() == RequestClass.INTERACTIVE || e.getDeadlineTsMs() == null) {
            return INTERACTIVE_GROUP;
        }
        return Math.floorDiv(e.getDeadlineTsMs(), bucketMs) * bucketMs;
    }

    private void queue(long group, long requests, long prompt) {
        long[] v = queueDelta.computeIfAbsent(group, g -> new long[2]);
        v[0] += requests;
        v[1] += prompt;
    }

    public void merge(PoolWindow o) {
        if (model == null) {
            model = o.model;
        }
        for (int i = 0; i < 3; i++) {
            running[i] += o.running[i];
            provisioning[i] += o.provisioning[i];
            batchCap[i] += o.batchCap[i];
        }
        draining += o.draining;
        stale += o.stale;
        runningInteractive += o.runningInteractive;
        runningBatch += o.runningBatch;
        outputTokensPerS += o.outputTokensPerS;
        busyTokensPerS += o.busyTokensPerS;
        busyInstances += o.busyInstances;
        batchCapSum += o.batchCapSum;
        runningInstances += o.runningInstances;
        itlP95Max = Math.max(itlP95Max, o.itlP95Max);
        ttftP95Max = Math.max(ttftP95Max, o.ttftP95Max);
        completionsInteractive += o.completionsInteractive;
        sloMetInteractive += o.sloMetInteractive;
        completionsBatch += o.completionsBatch;
        sloMetBatch += o.sloMetBatch;
        arrivalsInteractive += o.arrivalsInteractive;
        arrivalsBatch += o.arrivalsBatch;
        arrivalPromptInteractive += o.arrivalPromptInteractive;
        for (Map.Entry<Long, long[]> e : o.queueDelta.entrySet()) {
            queue(e.getKey(), e.getValue()[0], e.getValue()[1]);
        }
        finished += o.finished;
        outputSum += o.outputSum;
        outputSquares += o.outputSquares;
        promptSum += o.promptSum;
    }

    private static final int FORMAT = 2;

    /** Writes the accumulator in its compact binary form (for Flink state). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        Binary.writeString(out, model);
        Binary.writeInts(out, running);
        Binary.writeInts(out, provisioning);
        Binary.writeLongs(out, batchCap);
        out.writeInt(draining);
        out.writeInt(stale);
        out.writeInt(busyInstances);
        out.writeInt(runningInstances);
        for (long v :
                new long[] {
                    runningInteractive, runningBatch, completionsInteractive, sloMetInteractive,
                    completionsBatch, sloMetBatch, arrivalsInteractive, arrivalsBatch,
                    arrivalPromptInteractive, finished
                }) {
            out.writeLong(v);
        }
        for (double v :
                new double[] {
                    outputTokensPerS,
                    busyTokensPerS,
                    batchCapSum,
                    itlP95Max,
                    ttftP95Max,
                    outputSum,
                    outputSquares,
                    promptSum
                }) {
            out.writeDouble(v);
        }
        writeGroups(out, queueDelta);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static PoolWindow readFrom(DataInput in) throws IOException {
        Binary.checkVersion(in, FORMAT, "pool window");
        PoolWindow w = new PoolWindow();
        w.model = Binary.readString(in);
        w.running = Binary.readInts(in);
        w.provisioning = Binary.readInts(in);
        w.batchCap = Binary.readLongs(in);
        w.draining = in.readInt();
        w.stale = in.readInt();
        w.busyInstances = in.readInt();
        w.runningInstances = in.readInt();
        w.runningInteractive = in.readLong();
        w.runningBatch = in.readLong();
        w.completionsInteractive = in.readLong();
        w.sloMetInteractive = in.readLong();
        w.completionsBatch = in.readLong();
        w.sloMetBatch = in.readLong();
        w.arrivalsInteractive = in.readLong();
        w.arrivalsBatch = in.readLong();
        w.arrivalPromptInteractive = in.readLong();
        w.finished = in.readLong();
        w.outputTokensPerS = in.readDouble();
        w.busyTokensPerS = in.readDouble();
        w.batchCapSum = in.readDouble();
        w.itlP95Max = in.readDouble();
        w.ttftP95Max = in.readDouble();
        w.outputSum = in.readDouble();
        w.outputSquares = in.readDouble();
        w.promptSum = in.readDouble();
        readGroups(in, w.queueDelta);
        return w;
    }

    static void writeGroups(DataOutput out, TreeMap<Long, long[]> groups) throws IOException {
        out.writeInt(groups.size());
        for (Map.Entry<Long, long[]> e : groups.entrySet()) {
            out.writeLong(e.getKey());
            out.writeLong(e.getValue()[0]);
            out.writeLong(e.getValue()[1]);
        }
    }

    static void readGroups(DataInput in, TreeMap<Long, long[]> groups) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            groups.put(in.readLong(), new long[] {in.readLong(), in.readLong()});
        }
    }

    public String model() {
        return model;
    }
}
