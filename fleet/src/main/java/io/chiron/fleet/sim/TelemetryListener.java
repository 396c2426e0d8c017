package io.chiron.fleet.sim;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

/** Where the simulated fleet's telemetry goes: Kafka in the closed loop, aggregators in-process. */
public interface TelemetryListener {
    /** Drops everything; the simulator then skips building telemetry records at all. */
    TelemetryListener NONE =
            new TelemetryListener() {
                @Override
                public void request(RequestEvent event) {}

                @Override
                public void heartbeat(InstanceHeartbeat heartbeat) {}

                @Override
                public boolean enabled() {
                    return false;
                }
            };

    void request(RequestEvent event);

    void heartbeat(InstanceHeartbeat heartbeat);

    default boolean enabled() {
        return true;
    }
}
