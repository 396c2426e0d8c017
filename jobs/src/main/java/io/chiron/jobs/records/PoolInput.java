package io.chiron.jobs.records;

import io.chiron.records.InstanceSignal;
import io.chiron.records.RequestEvent;

/** One input of a pool window: an instance signal or a request event (exactly one is set). */
public class PoolInput {
    public InstanceSignal signal;
    public RequestEvent request;

    public PoolInput() {}

    public static PoolInput of(InstanceSignal s) {
        PoolInput p = new PoolInput();
        p.signal = s;
        return p;
    }

    public static PoolInput of(RequestEvent e) {
        PoolInput p = new PoolInput();
        p.request = e;
        return p;
    }

    public String model() {
        return signal != null ? signal.getModel() : request.getModel();
    }
}
