package io.chiron.jobs.functions;

import io.chiron.jobs.records.PoolInput;
import io.chiron.policy.signals.PoolWindow;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental per-pool window: the arithmetic lives in {@link PoolWindow}. */
public final class PoolAggregate implements AggregateFunction<PoolInput, PoolWindow, PoolWindow> {
    private static final long serialVersionUID = 1L;

    private final int expectedHeartbeats;
    private final long bucketMs;

    public PoolAggregate(int expectedHeartbeats, long bucketMs) {
        this.expectedHeartbeats = expectedHeartbeats;
        this.bucketMs = bucketMs;
    }

    @Override
    public PoolWindow createAccumulator() {
        return new PoolWindow();
    }

    @Override
    public PoolWindow add(PoolInput in, PoolWindow acc) {
        if (in.signal != null) {
            acc.add(in.signal, expectedHeartbeats);
        } else if (in.partial != null) {
            acc.merge(in.partial);
        } else {
            acc.add(in.request, bucketMs);
        }
        return acc;
    }

    @Override
    public PoolWindow getResult(PoolWindow acc) {
        return acc;
    }

    @Override
    public PoolWindow merge(PoolWindow a, PoolWindow b) {
        a.merge(b);
        return a;
    }
}
