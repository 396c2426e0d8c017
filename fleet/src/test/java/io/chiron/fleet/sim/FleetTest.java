package io.chiron.fleet.sim;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FleetTest {
    @TempDir Path dir;

    /** Collects what the fleet emits. */
    static final class Recorder implements TelemetryListener {
        final List<RequestEvent> events = new ArrayList<>();
        final List<InstanceHeartbeat> heartbeats = new ArrayList<>();

        @Override
        public void request(RequestEvent e) {
            events.add(e);
        }

        @Override
        public void heartbeat(InstanceHeartbeat hb) {
            heartbeats.add(hb);
        }

        List<RequestEvent> of(RequestEventType type) {
            return events.stream().filter(e -> e.getType() == type).toList();
        }
    }

    private Workload workload(String jsonl, Scenario scenario, Duration duration) throws Exception {
        Path file = dir.resolve("t.jsonl");
        Files.writeString(file, jsonl);
        return Workload.build(
                Trace.load(file.toString()), WorkloadSpec.of(scenario, 1, duration, 1));
    }

    private static SimConfig config(int interactive, int mixed, int batch) {
        SimConfig c = new SimConfig();
        c.initialInstances = RoleCounts.of(interactive, mixed, batch);
        return c;
    }

    private static FleetCommand command(
            CommandType type, String instance, InstanceRole role, int value) {
        return FleetCommand.newBuilder()
                .setCommandId("c-" + type + "-" + instance + "-" + role + "-" + value)
                .setDecisionId("d")
                .setTsMs(0)
                .setModel("llama3-8b")
                .setType(type)
                .setInstanceId(instance)
                .setRole(role)
                .setValue(value)
                .build();
    }

    @Test
    void aSingleRequestTakesTheModelsIterationTimes() throws Exception {
        Workload w =
                workload(
                        "{\"timestamp\": 0, \"input_length\": 100, \"output_length\": 3}\n",
                        Scenario.INTERACTIVE,
                        Duration.ofMinutes(1));
        SimConfig c = config(1, 0, 0);
        Recorder r = new Recorder();
        Fleet f = new Fleet(c, w, r);
        f.advanceTo(10_000);
        // Prefill of 100 tokens gives the first token; two decode steps at context 100 and 101
        // give the other two.
        double prefill = c.latency.prefillMs(100, 100.0 * 100);
        double decode = c.latency.decodeMs(1, 100) + c.latency.decodeMs(1, 101);
        RequestEvent done = r.of(RequestEventType.FINISHED).get(0);
        assertThat(done.getTtftMs()).isEqualTo((long) prefill);
        assertThat(done.getTsMs() - w.startEpochMs()).isEqualTo((long) (prefill + decode));
        assertThat(done.getItlMeanMs()).isCloseTo(decode / 2, within(1e-9));
        assertThat(done.getSloMet()).isTrue();
    }

    @Test
    void everyArrivalIsFinishedDroppedQueuedOrRunning() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.MIXED, 8, Duration.ofMinutes(20), 5));
        Fleet f = new Fleet(config(1, 1, 1), w, TelemetryListener.NONE);
        for (int minute = 1; minute <= 20; minute++) {
            f.advanceTo(minute * 60_000.0);
            FleetStats s = f.stats();
            long arrived = s.arrivedInteractive + s.arrivedBatch;
            long accounted =
                    s.finishedInteractive
                            + s.finishedBatch
                            + s.droppedInteractive
                            + s.droppedBatch
                            + f.queuedInteractive()
                            + f.queuedBatch()
                            + f.inFlight();
            assertThat(accounted).as("at minute %d", minute).isEqualTo(arrived);
        }
        // Overloaded on purpose (three instances for 8x the trace): some interactive requests give
        // up.
        assertThat(f.stats().droppedInteractive).isPositive();
    }

    @Test
    void theSameInputsGiveTheSameRun() {
        Workload w =
                Workload.build(
                        Trace.load("azure-code"),
                        WorkloadSpec.of(Scenario.MIXED, 4, Duration.ofMinutes(10), 11));
        Fleet a = new Fleet(config(1, 1, 1), w, TelemetryListener.NONE);
        Fleet b = new Fleet(config(1, 1, 1), w, TelemetryListener.NONE);
        a.advanceTo(600_000);
        b.advanceTo(600_000);
        assertThat(a.stats()).usingRecursiveComparison().isEqualTo(b.stats());
    }

    @Test
    void aNewInstanceServesOnlyAfterItsColdStart() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1, Duration.ofMinutes(5), 1));
        Fleet f = new Fleet(config(1, 0, 0), w, TelemetryListener.NONE);
        f.advanceTo(10_000);
        String outcome =
                f.apply(command(CommandType.SET_REPLICAS, null, InstanceRole.INTERACTIVE, 3));
        assertThat(outcome).contains("INTERACTIVE 1 -> 3");
        assertThat(f.count(InstanceRole.INTERACTIVE, InstanceState.PROVISIONING)).isEqualTo(2);
        f.advanceTo(69_999);
        assertThat(f.count(InstanceRole.INTERACTIVE, InstanceState.RUNNING)).isEqualTo(1);
        f.advanceTo(70_000);
        assertThat(f.count(InstanceRole.INTERACTIVE, InstanceState.RUNNING)).isEqualTo(3);
        // GPU time counts from the request, cold start included: 70 s + 2 x 60 s.
        assertThat(f.gpuMs()).isCloseTo(70_000 + 2 * 60_000, within(1e-6));
    }

    @Test
    void commandsAreTargetStatesSoApplyingOneTwiceChangesNothing() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1, Duration.ofMinutes(5), 1));
        Fleet f = new Fleet(config(1, 0, 0), w, TelemetryListener.NONE);
        FleetCommand setB = command(CommandType.SET_BATCH_SIZE, "llama3-8b-000", null, 48);
        assertThat(f.apply(setB)).contains("B 256 -> 48");
        assertThat(f.apply(setB)).startsWith("unchanged");
        assertThat(f.batchCaps()).containsEntry("llama3-8b-000", 48);
        FleetCommand two = command(CommandType.SET_REPLICAS, null, InstanceRole.INTERACTIVE, 2);
        f.apply(two);
        assertThat(f.apply(two)).startsWith("unchanged");
        assertThat(f.stats().instancesAdded).isEqualTo(1);
    }

    @Test
    void scaleInDrainsAndSendsBatchWorkBackToTheQueue() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.MIXED, 1, Duration.ofMinutes(10), 1));
        Recorder r = new Recorder();
        Fleet f = new Fleet(config(1, 0, 2), w, r);
        f.advanceTo(61_000); // the first bulk (1,000 batch requests) arrived at 60 s
        assertThat(f.count(InstanceRole.BATCH, InstanceState.RUNNING)).isEqualTo(2);
        f.apply(command(CommandType.SET_REPLICAS, null, InstanceRole.BATCH, 1));
        f.advanceTo(62_000);
        assertThat(f.count(InstanceRole.BATCH, InstanceState.RUNNING)).isEqualTo(1);
        assertThat(f.count(InstanceRole.BATCH, InstanceState.STOPPED)).isEqualTo(1);
        assertThat(r.of(RequestEventType.PREEMPTED)).isNotEmpty();
        // The drained instance reported its stop.
        assertThat(r.heartbeats).anyMatch(h -> h.getState() == InstanceState.STOPPED);
    }

    @Test
    void aRoleThatGrowsReusesADrainingInstanceWithoutAColdStart() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.MIXED, 1, Duration.ofMinutes(10), 1));
        Fleet f = new Fleet(config(1, 0, 1), w, TelemetryListener.NONE);
        f.advanceTo(30_000);
        // The interactive instance has work running at 30 s, so it drains instead of stopping;
        // a MIXED instance asked for next takes it over, keeping its weights.
        f.apply(command(CommandType.SET_REPLICAS, null, InstanceRole.INTERACTIVE, 0));
        String grown = f.apply(command(CommandType.SET_REPLICAS, null, InstanceRole.MIXED, 1));
        assertThat(grown).contains("INTERACTIVE->MIXED");
        assertThat(f.stats().roleChanges).isEqualTo(1);
        assertThat(f.stats().instancesAdded).isZero();
        assertThat(f.count(InstanceRole.MIXED, InstanceState.RUNNING)).isEqualTo(1);
    }

    @Test
    void interactiveArrivalsPreemptBatchWorkOnAFullMixedInstance() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.MIXED, 1, Duration.ofMinutes(3), 1));
        Recorder r = new Recorder();
        Fleet f = new Fleet(config(0, 1, 0), w, r);
        // 64 slots: interactive work uses about 20; the bulk at 60 s fills the rest, and every
        // interactive arrival after that finds the instance full and takes a batch slot.
        f.apply(command(CommandType.SET_BATCH_SIZE, "llama3-8b-000", null, 64));
        f.advanceTo(120_000);
        assertThat(f.stats().preemptions).isPositive();
        assertThat(r.of(RequestEventType.PREEMPTED))
                .allMatch(e -> e.getRequestClass().name().equals("BATCH"));
        assertThat(f.stats().finishedInteractive).isPositive();
    }

    @Test
    void ignoresCommandsForAnotherModelOrAnUnknownInstance() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1, Duration.ofMinutes(1), 1));
        Fleet f = new Fleet(config(1, 0, 0), w, TelemetryListener.NONE);
        FleetCommand other =
                FleetCommand.newBuilder(
                                command(CommandType.SET_BATCH_SIZE, "llama3-8b-000", null, 8))
                        .setModel("other")
                        .build();
        assertThat(f.apply(other)).startsWith("ignored");
        assertThat(f.apply(command(CommandType.SET_BATCH_SIZE, "nope", null, 8)))
                .startsWith("ignored");
        assertThat(f.stats().commandsIgnored).isEqualTo(2);
    }

    @Test
    void aCrashedInstanceStopsSilentlyAndItsRequestsGoBackToTheQueue() {
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.INTERACTIVE, 4, Duration.ofMinutes(5), 1));
        Recorder r = new Recorder();
        Fleet f = new Fleet(config(2, 0, 0), w, r);
        f.advanceTo(60_000);
        long running = f.inFlight();
        assertThat(f.crash("llama3-8b-000")).isTrue();
        assertThat(f.crash("llama3-8b-000")).as("already stopped").isFalse();
        assertThat(f.stats().crashes).isEqualTo(1);
        assertThat(f.stats().requeued).isPositive();
        assertThat(f.inFlight()).isLessThan(running);
        int before = r.heartbeats.size();
        f.advanceTo(70_000);
        // No STOPPED heartbeat from a crash: the instance just goes silent.
        assertThat(r.heartbeats.subList(before, r.heartbeats.size()))
                .noneMatch(h -> h.getInstanceId().equals("llama3-8b-000"));
        assertThat(f.count(InstanceRole.INTERACTIVE, InstanceState.RUNNING)).isEqualTo(1);
    }
}
