package io.chiron.jobs.functions;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.jobs.types.RecordSerializers;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.AvroTrust;
import io.chiron.records.RequestEvent;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Local aggregation before the shuffles, chained to the request source: request events are folded
 * into partial instance windows (main output) and partial pool windows ({@link #POOL_PARTIALS}) per
 * tumbling window, and each partial is sent when the watermark passes its window's end, or at a
 * checkpoint barrier, or at the end of input. The keyed windows downstream merge the partials, so
 * they receive one record per instance and window from each subtask instead of one per event, and
 * the pool window, keyed by model, is no longer a single hot key.
 *
 * <p>Nothing is kept in state: everything held is sent before each checkpoint barrier. An event
 * whose window this operator has already sent goes on alone, as itself, so the windows downstream
 * judge it exactly as they would have without this operator (and dead-letter it if late).
 */
public final class PreAggregate extends AbstractStreamOperator<Telemetry>
        implements OneInputStreamOperator<RequestEvent, Telemetry> {
    private static final long serialVersionUID = 1L;

    /** Partial pool windows, and pool inputs that came too late for theirs. */
    public static final OutputTag<PoolInput> POOL_PARTIALS =
            new OutputTag<>("pool-partials", RecordSerializers.POOL_INPUT);

    private final long windowMs;
    private final long bucketMs;

    /** Open windows by start: instance partials by instance, pool partials by model. */
    private transient TreeMap<Long, Map<String, InstanceWindow>> instances;

    private transient TreeMap<Long, Map<String, PoolWindow>> pools;
    private transient long watermark;

    /** The window of the last event, and its maps (null: look it up). */
    private transient long currentStart;

    private transient Map<String, InstanceWindow> currentInstances;
    private transient Map<String, PoolWindow> currentPools;

    /** The pool partial of the last event's model in the current window (null: look it up). */
    private transient PoolWindow currentPool;

    private transient String currentModel;
    private transient Counter partials;
    private transient Counter passedOn;

    /**
     * @param windowMs the tumbling window of the keyed windows downstream
     * @param bucketMs the deadline bucket of batch request groups
     */
    public PreAggregate(long windowMs, long bucketMs) {
        this.windowMs = windowMs;
        this.bucketMs = bucketMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        AvroTrust.install();
        instances = new TreeMap<>();
        pools = new TreeMap<>();
        watermark = Long.MIN_VALUE;
        partials = getMetricGroup().counter("preAggregatedPartials");
        passedOn = getMetricGroup().counter("preAggregationPassedOn");
    }

    @Override
    public void processElement(StreamRecord<RequestEvent> element) {
        RequestEvent e = element.getValue();
        long ts = element.getTimestamp();
        long start = ts - Math.floorMod(ts, windowMs);
        if (start + windowMs - 1 <= watermark) {
            // Its window's partial is sent: on alone, for the windows downstream to judge.
            passedOn.inc();
            if (e.getInstanceId() != null) {
                output.collect(new StreamRecord<>(Telemetry.of(e), ts));
            }
            output.collect(POOL_PARTIALS, new StreamRecord<>(PoolInput.of(e), ts));
            return;
        }
        if (start != currentStart || currentInstances == null) {
            // Events come nearly in order: look the window up only when it changes.
            currentStart = start;
            currentInstances = instances.computeIfAbsent(start, s -> new HashMap<>());
            currentPools = pools.computeIfAbsent(start, s -> new HashMap<>());
            currentPool = null;
        }
        if (e.getInstanceId() != null) {
            currentInstances.computeIfAbsent(e.getInstanceId(), id -> new InstanceWindow()).add(e);
        }
        // A fleet serves a few models: most events are the last one's, an equals instead of a
        // hash lookup (the two lookups per event were 7 % of the source task's samples).
        if (currentPool == null || !Objects.equals(currentModel, e.getModel())) {
            currentModel = e.getModel();
            currentPool = currentPools.computeIfAbsent(currentModel, m -> new PoolWindow());
        }
        currentPool.add(e, bucketMs);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = mark.getTimestamp();
        if (watermark > Long.MIN_VALUE + windowMs) {
            // Windows that end at or before the watermark (max timestamp end - 1 <= watermark).
            flushBefore(watermark - windowMs + 1);
        }
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flushBefore(Long.MAX_VALUE);
    }

    @Override
    public void finish() throws Exception {
        flushBefore(Long.MAX_VALUE);
        super.finish();
    }

    /** Sends the partials of every window that starts at or before {@code start}. */
    private void flushBefore(long start) {
        currentInstances = null;
        currentPools = null;
        currentPool = null;
        for (Iterator<Map.Entry<Long, Map<String, InstanceWindow>>> it =
                        instances.headMap(start, true).entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, Map<String, InstanceWindow>> w = it.next();
            long ts = w.getKey() + windowMs - 1;
            for (InstanceWindow partial : w.getValue().values()) {
                output.collect(new StreamRecord<>(Telemetry.of(partial), ts));
                partials.inc();
            }
            it.remove();
        }
        for (Iterator<Map.Entry<Long, Map<String, PoolWindow>>> it =
                        pools.headMap(start, true).entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, Map<String, PoolWindow>> w = it.next();
            long ts = w.getKey() + windowMs - 1;
            for (PoolWindow partial : w.getValue().values()) {
                output.collect(POOL_PARTIALS, new StreamRecord<>(PoolInput.of(partial), ts));
                partials.inc();
            }
            it.remove();
        }
    }
}
