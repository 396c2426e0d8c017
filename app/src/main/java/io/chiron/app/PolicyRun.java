package io.chiron.app;

import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
import io.chiron.policy.ScalingPolicy;

import java.time.Duration;
import java.util.function.Consumer;

/** One policy on one seed's workload, as simulate and evaluate both run it. */
record PolicyRun(
        WorkloadOptions workloadOptions,
        FleetOptions fleetOptions,
        Duration actuationDelay,
        double[] llumnixThresholds) {

    /** The workload of a seed and what it needs to be run and judged. */
    record Input(long seed, Workload workload, Duration horizon, double lowerBoundGpuHours) {}

    Input input(long seed) {
        Workload w = workloadOptions.workload(seed);
        SimConfig sim = fleetOptions.config(seed);
        return new Input(seed, w, workloadOptions.horizon(w), Policies.lowerBoundGpuHours(sim, w));
    }

    /** The fleet's settings for a policy on an input, its starting roles included. */
    SimConfig fleet(ScalingPolicy policy, Input in) {
        SimConfig sim = fleetOptions.config(in.seed());
        sim.initialInstances = fleetOptions.initialRoles(policy, sim, in.workload(), in.horizon());
        return sim;
    }

    ScalingPolicy policy(String name, Input in) {
        return Policies.create(
                name,
                fleetOptions.config(in.seed()),
                in.workload(),
                in.horizon(),
                llumnixThresholds);
    }

    Simulation.Result run(ScalingPolicy policy, Input in, Consumer<Fleet> progress) {
        Simulation s =
                new Simulation(
                        fleet(policy, in),
                        in.workload(),
                        policy,
                        Simulation.Options.defaults().withActuationDelay(actuationDelay));
        return s.run(in.horizon(), progress);
    }
}
