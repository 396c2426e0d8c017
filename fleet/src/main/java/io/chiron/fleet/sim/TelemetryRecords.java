package io.chiron.fleet.sim;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

/**
 * The Avro telemetry of the simulated fleet, built from its instances and requests: what a serving
 * instance or a gateway in front of it would send. Simulated ms become epoch ms here.
 */
final class TelemetryRecords {
    private TelemetryRecords() {}

    /** An instance's heartbeat: its state now and its counters since the last one. */
    static InstanceHeartbeat heartbeat(
            Instance i, SimConfig config, long kvCapacityTokens, long tsMs, long epochMs) {
        return InstanceHeartbeat.newBuilder()
                .setInstanceId(i.id)
                .setModel(config.model)
                .setRole(i.role)
                .setState(i.state)
                .setTsMs(tsMs)
                .setIntervalMs(config.heartbeat.toMillis())
                .setBatchCap(i.batchCap)
                .setRunning(i.running())
                .setRunningInteractive(i.runningInteractive)
                .setRunningBatch(i.runningBatch)
                .setSwapped(i.swapped)
                .setKvUsedTokens(i.kvUsed())
                .setKvCapacityTokens(kvCapacityTokens)
                .setDecodeSteps(i.hbSteps)
                .setItlMeanMs(i.hbSteps == 0 ? 0 : i.hbStepMs / i.hbSteps)
                .setItlMaxMs(i.hbStepMax)
                .setItlSloMs(i.itlSloMs())
                .setOutputTokens(i.hbOutput)
                .setPrefillTokens(i.hbPrefill)
                .setStartedTsMs(epochMs + (long) i.provisionedMs)
                .build();
    }

    /**
     * A step of a request's life at simulated time {@code at}, on instance {@code on} (null while
     * queued); the caller adds what only some steps carry (ITL, SLO met, drop reason).
     */
    static RequestEvent.Builder event(
            RequestEventType type, Request r, Instance on, String model, long epochMs, double at) {
        return RequestEvent.newBuilder()
                .setType(type)
                .setRequestId(r.idString())
                .setModel(model)
                .setRequestClass(r.interactive ? RequestClass.INTERACTIVE : RequestClass.BATCH)
                .setInstanceId(on == null ? null : on.id)
                .setInstanceRole(on == null ? null : on.role)
                .setTsMs(epochMs + (long) at)
                .setArrivalTsMs(epochMs + (long) r.arrivalMs)
                .setDeadlineTsMs(r.interactive ? null : r.deadlineMs)
                .setSloTtftMs(r.sloTtftMs)
                .setSloItlMs(r.sloItlMs)
                .setPromptTokens(r.prompt)
                .setOutputTokens(r.generated)
                .setQueueWaitMs((long) r.queueWaitMs)
                .setTtftMs(r.hasFirstToken() ? (long) (r.firstTokenMs - r.arrivalMs) : null)
                .setItlMeanMs(null)
                .setPreemptions(r.preemptions)
                .setSloMet(null)
                .setDropReason(null);
    }
}
