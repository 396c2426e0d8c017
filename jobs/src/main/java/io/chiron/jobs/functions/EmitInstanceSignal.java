package io.chiron.jobs.functions;

import io.chiron.policy.signals.InstanceWindow;
import io.chiron.records.AvroTrust;
import io.chiron.records.InstanceSignal;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Adds the window bounds and emits the signal. A window with request events but no heartbeat has no
 * gauges to report and emits nothing: the pool then counts the instance as not reporting.
 */
public final class EmitInstanceSignal
        extends ProcessWindowFunction<InstanceWindow, InstanceSignal, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void open(OpenContext context) {
        AvroTrust.install(); // before any record of ours is deserialized in this task
    }

    @Override
    public void process(
            String instanceId,
            Context context,
            Iterable<InstanceWindow> windows,
            Collector<InstanceSignal> out) {
        InstanceWindow w = windows.iterator().next();
        if (w.hasHeartbeats()) {
            out.collect(w.toSignal(context.window().getStart(), context.window().getEnd()));
        }
    }
}
