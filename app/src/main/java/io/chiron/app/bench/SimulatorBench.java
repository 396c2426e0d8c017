package io.chiron.app.bench;

import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.ChironPolicy;

import java.time.Duration;

/**
 * Simulated seconds per wall second of the in-process simulator on the mixed scenario, with Chiron
 * deciding: the conversation trace at a rate that keeps {@code instances} busy (x20 for 50), the
 * fleet starting at that size.
 */
public final class SimulatorBench {
    private SimulatorBench() {}

    public record Speed(int instances, double simulatedSeconds, double wallSeconds, long requests) {
        public double speedup() {
            return simulatedSeconds / wallSeconds;
        }
    }

    public static Speed run(int instances, Duration simulated) {
        double multiplier = instances * 20.0 / 50;
        Workload w =
                Workload.build(
                        Trace.load("azure-conv"),
                        WorkloadSpec.of(Scenario.MIXED, multiplier, simulated, 1));
        SimConfig sim = new SimConfig();
        ChironConfig config =
                ChironConfig.defaults().with(c -> c.maxInstances = Math.max(64, 2 * instances));
        ChironPolicy policy = new ChironPolicy(config, sim.latency);
        sim.initialInstances = policy.initialRoles(instances);
        Simulation.Result r =
                new Simulation(sim, w, policy, Simulation.Options.defaults())
                        .run(simulated, f -> {});
        return new Speed(instances, r.simulatedSeconds(), r.wallSeconds(), w.size());
    }
}
