package io.chiron.app.replay;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.sim.TelemetryListener;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Telemetry recorded from a simulated fleet, in the order the fleet emitted it (event-time order):
 * what a replay sends, identically, through the Flink job or straight through the policy. The fleet
 * runs open-loop (it obeys no decision), so the telemetry depends only on the inputs.
 */
public record Recording(List<SpecificRecord> records, long startEpochMs, long endEpochMs) {

    public static Recording of(
            String trace, Scenario scenario, double rateMultiplier, Duration duration, long seed) {
        Workload workload =
                Workload.build(
                        Trace.load(trace, seed),
                        WorkloadSpec.of(scenario, rateMultiplier, duration, seed));
        List<SpecificRecord> records = new ArrayList<>();
        SimConfig config = new SimConfig();
        config.initialInstances = RoleCounts.of(3, 1, 1);
        Fleet fleet =
                new Fleet(
                        config,
                        workload,
                        new TelemetryListener() {
                            @Override
                            public void request(RequestEvent event) {
                                records.add(event);
                            }

                            @Override
                            public void heartbeat(InstanceHeartbeat heartbeat) {
                                records.add(heartbeat);
                            }
                        });
        fleet.advanceTo(duration.toMillis());
        return new Recording(records, workload.startEpochMs(), fleet.nowEpochMs());
    }

    /** The event time of a recorded record. */
    public static long timestamp(SpecificRecord r) {
        return r instanceof RequestEvent e ? e.getTsMs() : ((InstanceHeartbeat) r).getTsMs();
    }
}
