package io.chiron.fleet.run;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.ChironPolicy;
import io.chiron.policy.baseline.StaticPolicy;
import io.chiron.records.DecisionAction;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SimulationTest {
    private static final Workload MIXED =
            Workload.build(
                    Trace.load("azure-conv"),
                    WorkloadSpec.of(Scenario.MIXED, 10, Duration.ofMinutes(20), 3));

    private static Simulation.Result run(boolean chiron) {
        SimConfig c = new SimConfig();
        c.initialInstances = RoleCounts.of(2, 1, 1);
        var policy =
                chiron ? new ChironPolicy(ChironConfig.defaults(), c.latency) : new StaticPolicy();
        return new Simulation(c, MIXED, policy, Simulation.Options.defaults())
                .run(Duration.ofMinutes(20), f -> {});
    }

    @Test
    void theSameInputsGiveTheSameResultAndDecisions() {
        Simulation.Result a = run(true);
        Simulation.Result b = run(true);
        assertThat(a.metrics()).isEqualTo(b.metrics());
        assertThat(a.decisions()).isEqualTo(b.decisions());
    }

    @Test
    void chironDecidesFromTheSignalsAndTheFleetFollows() {
        Simulation.Result r = run(true);
        assertThat(r.decisions()).anyMatch(d -> d.getAction() == DecisionAction.SET_BATCH_SIZE);
        assertThat(r.decisions()).anyMatch(d -> d.getAction() == DecisionAction.SET_REPLICAS);
        assertThat(r.metrics().batchSizeChanges()).isPositive();
        assertThat(r.metrics().scalingActions()).isPositive();
        // One sample per 5 s window.
        assertThat(r.series()).hasSize(20 * 60 / 5);
    }

    @Test
    void theStaticPolicyNeverActs() {
        Simulation.Result r = run(false);
        assertThat(r.decisions()).isEmpty();
        // Four instances for 20 minutes.
        assertThat(r.metrics().gpuHours()).isEqualTo(4 * 20 / 60.0);
    }
}
