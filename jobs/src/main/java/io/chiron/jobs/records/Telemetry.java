package io.chiron.jobs.records;

import io.chiron.policy.signals.InstanceWindow;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

/**
 * One input of an instance window, exactly one field set: a heartbeat; a partial window of the
 * instance's request events, aggregated before the shuffle by {@link
 * io.chiron.jobs.functions.PreAggregate}; or a request event that came too late for its partial.
 * Shipped with {@link io.chiron.jobs.types.RecordSerializers#TELEMETRY}.
 */
public final class Telemetry {
    public InstanceHeartbeat heartbeat;
    public InstanceWindow partial;
    public RequestEvent request;

    public Telemetry() {}

    public static Telemetry of(InstanceHeartbeat hb) {
        Telemetry t = new Telemetry();
        t.heartbeat = hb;
        return t;
    }

    public static Telemetry of(InstanceWindow partial) {
        Telemetry t = new Telemetry();
        t.partial = partial;
        return t;
    }

    public static Telemetry of(RequestEvent e) {
        Telemetry t = new Telemetry();
        t.request = e;
        return t;
    }

    public String instanceId() {
        if (heartbeat != null) {
            return heartbeat.getInstanceId();
        }
        return partial != null ? partial.instanceId() : request.getInstanceId();
    }
}
