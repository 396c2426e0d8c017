package io.chiron.fleet.sim;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No request vanishes: whatever the workload, the fleet's size, the commands it gets and the
 * crashes it suffers, every arrival is finished, dropped (with a reason), queued or running.
 */
class RequestConservationTest {
    private static final Trace CODE = Trace.load("azure-code");

    @Property(tries = 25, seed = "20261123")
    void everyArrivalIsAccountedFor(
            @ForAll("scenarios") Scenario scenario,
            @ForAll @IntRange(min = 1, max = 6) int multiplier,
            @ForAll @IntRange(min = 0, max = 3) int interactive,
            @ForAll @IntRange(min = 0, max = 3) int mixed,
            @ForAll @IntRange(min = 0, max = 3) int batch,
            @ForAll("commands") List<FleetCommand> commands,
            @ForAll boolean crashes) {
        Workload w =
                Workload.build(
                        CODE,
                        WorkloadSpec.of(scenario, multiplier, Duration.ofMinutes(8), multiplier)
                                .withBatch(
                                        300,
                                        Duration.ofMinutes(1),
                                        Duration.ofMinutes(3),
                                        Duration.ofMinutes(20)));
        SimConfig config = new SimConfig();
        config.initialInstances = RoleCounts.of(interactive, mixed, batch);
        config.crashEvery = crashes ? Duration.ofMinutes(2) : null;
        Fleet fleet = new Fleet(config, w, TelemetryListener.NONE);
        for (int step = 1; step <= 8; step++) {
            fleet.advanceTo(step * 60_000.0);
            if (step - 1 < commands.size()) {
                fleet.apply(commands.get(step - 1));
            }
            FleetStats s = fleet.stats();
            long accounted =
                    s.finishedInteractive
                            + s.finishedBatch
                            + s.droppedInteractive
                            + s.droppedBatch
                            + fleet.queuedInteractive()
                            + fleet.queuedBatch()
                            + fleet.inFlight();
            assertThat(accounted).isEqualTo(s.arrivedInteractive + s.arrivedBatch);
            assertThat(fleet.gpuMs()).isGreaterThanOrEqualTo(0);
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.of(Scenario.values());
    }

    @Provide
    Arbitrary<List<FleetCommand>> commands() {
        Arbitrary<FleetCommand> replicas =
                Arbitraries.integers()
                        .between(0, 5)
                        .flatMap(
                                n ->
                                        Arbitraries.of(InstanceRole.values())
                                                .map(
                                                        role ->
                                                                command(
                                                                        CommandType.SET_REPLICAS,
                                                                        null,
                                                                        role,
                                                                        n)));
        Arbitrary<FleetCommand> batchSize =
                Arbitraries.integers()
                        .between(1, 512)
                        .flatMap(
                                b ->
                                        Arbitraries.integers()
                                                .between(0, 8)
                                                .map(
                                                        i ->
                                                                command(
                                                                        CommandType.SET_BATCH_SIZE,
                                                                        String.format(
                                                                                "llama3-8b-%03d",
                                                                                i),
                                                                        null,
                                                                        b)));
        return Arbitraries.oneOf(replicas, batchSize).list().ofMaxSize(8);
    }

    private static FleetCommand command(
            CommandType type, String instance, InstanceRole role, int value) {
        return FleetCommand.newBuilder()
                .setCommandId(type + "/" + instance + "/" + role + "/" + value)
                .setDecisionId("d")
                .setTsMs(0)
                .setModel("llama3-8b")
                .setType(type)
                .setInstanceId(instance)
                .setRole(role)
                .setValue(value)
                .build();
    }
}
