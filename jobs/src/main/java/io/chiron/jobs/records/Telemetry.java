package io.chiron.jobs.records;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

/** One telemetry record of an instance: a heartbeat or a request event (exactly one is set). */
public class Telemetry {
    public InstanceHeartbeat heartbeat;
    public RequestEvent request;

    public Telemetry() {}

    public static Telemetry of(InstanceHeartbeat hb) {
        Telemetry t = new Telemetry();
        t.heartbeat = hb;
        return t;
    }

    public static Telemetry of(RequestEvent e) {
        Telemetry t = new Telemetry();
        t.request = e;
        return t;
    }

    public String instanceId() {
        return heartbeat != null ? heartbeat.getInstanceId() : request.getInstanceId();
    }
}
