package io.chiron.jobs.functions;

import io.chiron.jobs.records.InstancePane;
import io.chiron.jobs.types.StateSerializers;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.records.AvroTrust;
import io.chiron.records.InstanceSignal;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sliding per-instance signals built from the tumbling panes, not from a sliding window: each
 * closed pane is kept (as its mergeable accumulator) for {@code length}, and every pane emits the
 * merge of the panes inside the last {@code length}. One merge of a few panes per pane instead of
 * one window firing per slide per record. Panes older than the length are dropped at once; an
 * instance that goes silent is forgotten by a timer.
 */
public final class SlidingSignals
        extends KeyedProcessFunction<String, InstancePane, InstanceSignal> {
    private static final long serialVersionUID = 1L;

    private final long lengthMs;
    private transient MapState<Long, InstanceWindow> panes;

    public SlidingSignals(long lengthMs) {
        this.lengthMs = lengthMs;
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install();
        panes =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "panes", Types.LONG, StateSerializers.INSTANCE_WINDOW));
    }

    @Override
    public void processElement(InstancePane pane, Context ctx, Collector<InstanceSignal> out)
            throws Exception {
        panes.put(pane.startMs, pane.window);
        long from = pane.endMs - lengthMs;
        TreeMap<Long, InstanceWindow> kept = new TreeMap<>();
        for (Map.Entry<Long, InstanceWindow> e : panes.entries()) {
            kept.put(e.getKey(), e.getValue());
        }
        InstanceWindow merged = new InstanceWindow();
        for (Map.Entry<Long, InstanceWindow> e : kept.entrySet()) {
            if (e.getKey() < from) {
                panes.remove(e.getKey());
            } else {
                merged.merge(e.getValue());
            }
        }
        if (merged.hasHeartbeats()) {
            out.collect(merged.toSignal(from, pane.endMs));
        }
        // Forget the instance a full length after its last pane, unless another pane comes.
        ctx.timerService().registerEventTimeTimer(pane.endMs + lengthMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<InstanceSignal> out)
            throws Exception {
        long newest = Long.MIN_VALUE;
        for (Long start : panes.keys()) {
            newest = Math.max(newest, start);
        }
        // Timers of earlier panes fire too; only the one after the newest pane clears.
        if (newest == Long.MIN_VALUE || timestamp >= newest + lengthMs) {
            panes.clear();
        }
    }
}
