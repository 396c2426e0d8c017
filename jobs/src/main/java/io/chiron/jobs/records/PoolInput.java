package io.chiron.jobs.records;

import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.InstanceSignal;
import io.chiron.records.RequestEvent;

/**
 * One input of a pool window, exactly one field set: an instance signal; a partial window of the
 * pool's request events, aggregated before the shuffle by {@link
 * io.chiron.jobs.functions.PreAggregate}; or a request event that came too late for its partial.
 * Shipped with {@link io.chiron.jobs.types.RecordSerializers#POOL_INPUT}.
 */
public final class PoolInput {
    public InstanceSignal signal;
    public PoolWindow partial;
    public RequestEvent request;

    public PoolInput() {}

    public static PoolInput of(InstanceSignal s) {
        PoolInput p = new PoolInput();
        p.signal = s;
        return p;
    }

    public static PoolInput of(PoolWindow partial) {
        PoolInput p = new PoolInput();
        p.partial = partial;
        return p;
    }

    public static PoolInput of(RequestEvent e) {
        PoolInput p = new PoolInput();
        p.request = e;
        return p;
    }

    public String model() {
        if (signal != null) {
            return signal.getModel();
        }
        return partial != null ? partial.model() : request.getModel();
    }
}
