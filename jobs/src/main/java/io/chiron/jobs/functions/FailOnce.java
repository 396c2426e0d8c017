package io.chiron.jobs.functions;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Chaos for recovery tests: fails the task once, on its first attempt, after {@code after} records;
 * after the restart it passes everything through. Enabled only by {@code
 * chiron.testing.fail-once-after-records}.
 */
public final class FailOnce<T> extends RichMapFunction<T, T> implements MapFunction<T, T> {
    private static final long serialVersionUID = 1L;

    private final long after;
    private transient long seen;
    private transient boolean armed;

    public FailOnce(long after) {
        this.after = after;
    }

    @Override
    public void open(OpenContext context) {
        armed = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
        seen = 0;
    }

    @Override
    public T map(T value) {
        if (armed && ++seen > after) {
            throw new IllegalStateException(
                    "chiron.testing.fail-once-after-records: failing on purpose after "
                            + after
                            + " records");
        }
        return value;
    }
}
