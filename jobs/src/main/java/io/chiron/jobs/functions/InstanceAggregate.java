package io.chiron.jobs.functions;

import io.chiron.jobs.records.Telemetry;
import io.chiron.policy.signals.InstanceWindow;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental per-instance window: the arithmetic lives in {@link InstanceWindow}. */
public final class InstanceAggregate
        implements AggregateFunction<Telemetry, InstanceWindow, InstanceWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public InstanceWindow createAccumulator() {
        return new InstanceWindow();
    }

    @Override
    public InstanceWindow add(Telemetry t, InstanceWindow acc) {
        if (t.heartbeat != null) {
            acc.add(t.heartbeat);
        } else if (t.partial != null) {
            acc.merge(t.partial);
        } else {
            acc.add(t.request);
        }
        return acc;
    }

    @Override
    public InstanceWindow getResult(InstanceWindow acc) {
        return acc;
    }

    @Override
    public InstanceWindow merge(InstanceWindow a, InstanceWindow b) {
        a.merge(b);
        return a;
    }
}
