package io.chiron.jobs.records;

import io.chiron.policy.signals.InstanceWindow;

/**
 * One closed tumbling window of an instance, its accumulator kept for sliding windows. Shipped with
 * {@link io.chiron.jobs.types.StateSerializers#INSTANCE_PANE}.
 */
public final class InstancePane {
    public final long startMs;
    public final long endMs;
    public final InstanceWindow window;

    public InstancePane(long startMs, long endMs, InstanceWindow window) {
        this.startMs = startMs;
        this.endMs = endMs;
        this.window = window;
    }
}
