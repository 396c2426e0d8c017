package io.chiron.jobs.functions;

import io.chiron.jobs.records.InstancePane;
import io.chiron.jobs.types.StateSerializers;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.records.AvroTrust;
import io.chiron.records.InstanceSignal;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Adds the window bounds and emits the signal. A window with request events but no heartbeat has no
 * gauges to report and emits nothing: the pool then counts the instance as not reporting.
 */
public final class EmitInstanceSignal
        extends ProcessWindowFunction<InstanceWindow, InstanceSignal, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** The closed windows' accumulators, for {@link SlidingSignals}. */
    public static final OutputTag<InstancePane> PANES =
            new OutputTag<>("instance-panes", StateSerializers.INSTANCE_PANE);

    private final boolean panes;

    /**
     * @param panes whether to emit each window's accumulator to {@link #PANES} too
     */
    public EmitInstanceSignal(boolean panes) {
        this.panes = panes;
    }

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
            if (panes) {
                context.output(
                        PANES,
                        new InstancePane(
                                context.window().getStart(), context.window().getEnd(), w));
            }
        }
    }
}
