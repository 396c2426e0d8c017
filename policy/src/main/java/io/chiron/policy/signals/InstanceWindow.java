package io.chiron.policy.signals;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * Accumulates one instance's telemetry over one window into an {@link InstanceSignal}: the
 * incremental aggregate of the telemetry job, and of the direct (no Flink) path, so both compute
 * the same signals. Gauges (role, state, B, running by class) are taken from the latest heartbeat
 * by event time, so the result does not depend on arrival order.
 */
public final class InstanceWindow implements Serializable {
    private static final long serialVersionUID = 1L;

    private String instanceId;
    private String model;
    private InstanceRole role = InstanceRole.MIXED;
    private InstanceState state = InstanceState.RUNNING;
    private long latestHeartbeatTs = Long.MIN_VALUE;
    private int heartbeats;
    private int batchCap;
    private int runningInteractive;
    private int runningBatch;
    private int itlSloMs;
    private double runningSum;
    private int runningMax;
    private double kvUtilSum;
    private long decodeSteps;
    private long outputTokens;
    private long prefillTokens;
    private int started;
    private int completions;
    private int completionsInteractive;
    private int sloMetInteractive;
    private int completionsBatch;
    private int sloMetBatch;
    // Iteration latency in microseconds, one count per decode step. Each sketch is null until its
    // first value: most windows of a pre-aggregated partial need one or two of the three.
    private LatencySketch itlMicros = new LatencySketch();
    private LatencySketch ttftMs = new LatencySketch();
    private LatencySketch queueWaitMs = new LatencySketch();

    public void add(InstanceHeartbeat hb) {
        identify(hb.getInstanceId(), hb.getModel());
        heartbeats++;
        if (hb.getTsMs() >= latestHeartbeatTs) {
            latestHeartbeatTs = hb.getTsMs();
            role = hb.getRole();
            state = hb.getState();
            batchCap = hb.getBatchCap();
            runningInteractive = hb.getRunningInteractive();
            runningBatch = hb.getRunningBatch();
            itlSloMs = hb.getItlSloMs();
        }
        runningSum += hb.getRunning();
        runningMax = Math.max(runningMax, hb.getRunning());
        if (hb.getKvCapacityTokens() > 0) {
            kvUtilSum += (double) hb.getKvUsedTokens() / hb.getKvCapacityTokens();
        }
        decodeSteps += hb.getDecodeSteps();
        outputTokens += hb.getOutputTokens();
        prefillTokens += hb.getPrefillTokens();
        if (hb.getDecodeSteps() > 0) {
            itlMicros.record(
                    Math.max(1, Math.round(hb.getItlMeanMs() * 1000)), hb.getDecodeSteps());
        }
    }

    public void add(RequestEvent e) {
        if (e.getInstanceId() == null) {
            return;
        }
        identify(e.getInstanceId(), e.getModel());
        switch (e.getType()) {
            case STARTED -> {
                started++;
                queueWaitMs.record(e.getQueueWaitMs(), 1);
            }
            case FINISHED -> {
                completions++;
                boolean met = Boolean.TRUE.equals(e.getSloMet());
                if (e.getRequestClass() == RequestClass.INTERACTIVE) {
                    completionsInteractive++;
                    sloMetInteractive += met ? 1 : 0;
                    if (e.getTtftMs() != null) {
                        ttftMs.record(e.getTtftMs(), 1);
                    }
                } else {
                    completionsBatch++;
                    sloMetBatch += met ? 1 : 0;
                }
            }
            default -> {}
        }
    }

    public void merge(InstanceWindow other) {
        if (other.instanceId != null) {
            identify(other.instanceId, other.model);
        }
        if (other.latestHeartbeatTs >= latestHeartbeatTs && other.heartbeats > 0) {
            latestHeartbeatTs = other.latestHeartbeatTs;
            role = other.role;
            state = other.state;
            batchCap = other.batchCap;
            runningInteractive = other.runningInteractive;
            runningBatch = other.runningBatch;
            itlSloMs = other.itlSloMs;
        }
        heartbeats += other.heartbeats;
        runningSum += other.runningSum;
        runningMax = Math.max(runningMax, other.runningMax);
        kvUtilSum += other.kvUtilSum;
        decodeSteps += other.decodeSteps;
        outputTokens += other.outputTokens;
        prefillTokens += other.prefillTokens;
        started += other.started;
        completions += other.completions;
        completionsInteractive += other.completionsInteractive;
        sloMetInteractive += other.sloMetInteractive;
        completionsBatch += other.completionsBatch;
        sloMetBatch += other.sloMetBatch;
        itlMicros.merge(other.itlMicros);
        ttftMs.merge(other.ttftMs);
        queueWaitMs.merge(other.queueWaitMs);
    }

    private void identify(String id, String model) {
        if (instanceId == null) {
            instanceId = id;
            this.model = model;
        }
    }

    private static final int FORMAT = 3;

    /** Writes the accumulator in its compact binary form (for Flink state). */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT);
        Binary.writeString(out, instanceId);
        Binary.writeString(out, model);
        out.writeByte(role.ordinal());
        out.writeByte(state.ordinal());
        out.writeLong(latestHeartbeatTs);
        for (int v :
                new int[] {
                    heartbeats,
                    batchCap,
                    runningInteractive,
                    runningBatch,
                    itlSloMs,
                    runningMax,
                    started,
                    completions,
                    completionsInteractive,
                    sloMetInteractive,
                    completionsBatch,
                    sloMetBatch
                }) {
            out.writeInt(v);
        }
        out.writeDouble(runningSum);
        out.writeDouble(kvUtilSum);
        out.writeLong(decodeSteps);
        out.writeLong(outputTokens);
        out.writeLong(prefillTokens);
        itlMicros.writeTo(out);
        ttftMs.writeTo(out);
        queueWaitMs.writeTo(out);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static InstanceWindow readFrom(DataInput in) throws IOException {
        Binary.checkVersion(in, FORMAT, "instance window");
        InstanceWindow w = new InstanceWindow();
        w.instanceId = Binary.readString(in);
        w.model = Binary.readString(in);
        w.role = InstanceRole.values()[in.readByte()];
        w.state = InstanceState.values()[in.readByte()];
        w.latestHeartbeatTs = in.readLong();
        w.heartbeats = in.readInt();
        w.batchCap = in.readInt();
        w.runningInteractive = in.readInt();
        w.runningBatch = in.readInt();
        w.itlSloMs = in.readInt();
        w.runningMax = in.readInt();
        w.started = in.readInt();
        w.completions = in.readInt();
        w.completionsInteractive = in.readInt();
        w.sloMetInteractive = in.readInt();
        w.completionsBatch = in.readInt();
        w.sloMetBatch = in.readInt();
        w.runningSum = in.readDouble();
        w.kvUtilSum = in.readDouble();
        w.decodeSteps = in.readLong();
        w.outputTokens = in.readLong();
        w.prefillTokens = in.readLong();
        w.itlMicros = LatencySketch.readFrom(in);
        w.ttftMs = LatencySketch.readFrom(in);
        w.queueWaitMs = LatencySketch.readFrom(in);
        return w;
    }

    /** The instance this window is about; null before its first record. */
    public String instanceId() {
        return instanceId;
    }

    /** Whether any heartbeat arrived; a window of request events alone has no gauges to report. */
    public boolean hasHeartbeats() {
        return heartbeats > 0;
    }

    public InstanceSignal toSignal(long windowStartMs, long windowEndMs) {
        double seconds = Math.max(1, windowEndMs - windowStartMs) / 1000.0;
        double[] itl = itlMicros.percentiles(1000, 50, 95, 99);
        double[] ttft = ttftMs.percentiles(1, 50, 95, 99);
        return InstanceSignal.newBuilder()
                .setInstanceId(instanceId)
                .setModel(model)
                .setRole(role)
                .setState(state)
                .setWindowStartMs(windowStartMs)
                .setWindowEndMs(windowEndMs)
                .setHeartbeats(heartbeats)
                .setBatchCap(batchCap)
                .setRunningMean(heartbeats == 0 ? 0 : runningSum / heartbeats)
                .setRunningMax(runningMax)
                .setRunningInteractive(runningInteractive)
                .setRunningBatch(runningBatch)
                .setKvUtilMean(heartbeats == 0 ? 0 : kvUtilSum / heartbeats)
                .setItlSloMs(itlSloMs)
                .setItlP50Ms(itl[0])
                .setItlP95Ms(itl[1])
                .setItlP99Ms(itl[2])
                .setDecodeSteps(decodeSteps)
                .setOutputTokens(outputTokens)
                .setOutputTokensPerS(outputTokens / seconds)
                .setPrefillTokens(prefillTokens)
                .setStarted(started)
                .setCompletions(completions)
                .setCompletionsInteractive(completionsInteractive)
                .setSloMetInteractive(sloMetInteractive)
                .setCompletionsBatch(completionsBatch)
                .setSloMetBatch(sloMetBatch)
                .setQueueWaitP95Ms(queueWaitMs.at(95, 1))
                .setTtftP50Ms(ttft[0])
                .setTtftP95Ms(ttft[1])
                .setTtftP99Ms(ttft[2])
                .build();
    }
}
