package io.chiron.app;

import io.chiron.fleet.report.Bounds;
import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.policy.ScalingPolicy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evaluation's two promises, for every policy on random small workloads: every arrived request
 * is met, late, dropped or unfinished, and no policy's GPU-hours over the run fall below the lower
 * bound.
 */
class EvaluationPropertiesTest {
    private static final Trace CONV = Trace.load("azure-conv");
    private static final Trace CODE = Trace.load("azure-code");

    @Property(tries = 40, seed = "20261201")
    void everyRequestIsAccountedForAndNoPolicyBeatsTheBound(
            @ForAll("policies") String policy,
            @ForAll("scenarios") Scenario scenario,
            @ForAll boolean code,
            @ForAll @IntRange(min = 1, max = 4) int multiplier,
            @ForAll @IntRange(min = 0, max = 1000) int seed,
            @ForAll @IntRange(min = 0, max = 2) int coldStartMinutes) {
        Workload w =
                Workload.build(
                        (code ? CODE : CONV).from(seed * 1_000L),
                        WorkloadSpec.of(scenario, multiplier, Duration.ofMinutes(4), seed)
                                .withBatch(
                                        200 * multiplier,
                                        Duration.ofMinutes(1),
                                        Duration.ofMinutes(2),
                                        Duration.ofMinutes(3)));
        SimConfig sim = new SimConfig();
        sim.coldStart = Duration.ofSeconds(30 + 60L * coldStartMinutes);
        sim.seed = seed;
        Duration horizon = Simulation.defaultHorizon(w);
        ScalingPolicy p = Policies.create(policy, sim, w, horizon);
        sim.initialInstances = p.initialRoles(3);
        PolicyResult r =
                new Simulation(sim, w, p, Simulation.Options.defaults())
                        .run(horizon, f -> {})
                        .metrics();
        long arrived = 0;
        for (ClassOutcome c : r.classes().values()) {
            assertThat(c.arrived())
                    .isEqualTo(c.met() + c.missedLate() + c.missedDropped() + c.missedUnfinished());
            assertThat(c.feasible()).isBetween(0L, c.arrived());
            arrived += c.arrived();
        }
        assertThat(arrived).isEqualTo(w.size());
        assertThat(r.gpuHours()).isGreaterThanOrEqualTo(Bounds.lowerBoundGpuHours(sim, w));
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of(Policies.NAMES);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.of(Scenario.MIXED, Scenario.INTERACTIVE, Scenario.BATCH_BACKLOG);
    }
}
