package io.chiron.jobs.functions;

import io.chiron.jobs.types.StateSerializers;
import io.chiron.policy.signals.PoolBook;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.AvroTrust;
import io.chiron.records.PoolSignal;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Folds each pool window into the pool's {@link PoolBook} (the global queue per request group and
 * the output-length distribution), kept in per-key state across windows, and emits the signal.
 */
public final class EmitPoolSignal
        extends ProcessWindowFunction<PoolWindow, PoolSignal, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final int maxGroups;
    private transient Counter folded;

    /**
     * @param maxGroups most request groups a pool signal carries ({@link PoolBook#PoolBook(int)})
     */
    public EmitPoolSignal(int maxGroups) {
        this.maxGroups = maxGroups;
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install(); // before any record of ours is deserialized in this task
        folded = getRuntimeContext().getMetricGroup().counter("queueGroupsFolded");
    }

    private static final ValueStateDescriptor<PoolBook> BOOK =
            new ValueStateDescriptor<>("pool-book", StateSerializers.POOL_BOOK);

    @Override
    public void process(
            String model, Context context, Iterable<PoolWindow> windows, Collector<PoolSignal> out)
            throws Exception {
        ValueState<PoolBook> state = context.globalState().getState(BOOK);
        PoolBook book = state.value();
        if (book == null) {
            book = new PoolBook(maxGroups);
        }
        PoolWindow w = windows.iterator().next();
        long foldedBefore = book.foldedGroups();
        out.collect(book.apply(w, context.window().getStart(), context.window().getEnd()));
        folded.inc(book.foldedGroups() - foldedBefore);
        state.update(book);
    }
}
