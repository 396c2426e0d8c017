package io.chiron.fleet.run;

import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
import io.chiron.guard.GuardConfig;
import io.chiron.guard.GuardMemory;
import io.chiron.guard.InMemoryGuardMemory;
import io.chiron.guard.SafetyGuard;
import io.chiron.policy.Commands;
import io.chiron.policy.ScalingPolicy;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;
import io.chiron.records.ScalingDecision;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One policy on one workload, in-process: the fleet's telemetry goes through the same window
 * arithmetic as the Flink job ({@link SignalCollector}), the policy is called directly at every
 * window end, its decisions pass the same {@link SafetyGuard} as in production, and what the guard
 * allows reaches the fleet after an actuation delay. Arrivals stop at the workload's end; the run
 * goes on until every request has finished (or the horizon), so every request is accounted for and
 * GPU time covers all of the work. Deterministic for a given workload, configuration and policy.
 */
public final class Simulation {
    /** How the loop is timed, and the guard in front of the fleet. */
    public record Options(
            Duration window, Duration actuationDelay, Duration queueBucket, GuardConfig guard) {
        public static Options defaults() {
            return new Options(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(2),
                    Duration.ofMinutes(1),
                    GuardConfig.defaults());
        }

        public Options withActuationDelay(Duration delay) {
            return new Options(window, delay, queueBucket, guard);
        }
    }

    /**
     * The default horizon of a workload: ten minutes after its last deadline, or after its arrivals
     * end when that is later.
     */
    public static Duration defaultHorizon(Workload workload) {
        long end = workload.spec().duration().toMillis();
        for (int i = 0; i < workload.size(); i++) {
            end = Math.max(end, workload.deadlineMs(i) - workload.startEpochMs());
        }
        return Duration.ofMillis(end).plusMinutes(10);
    }

    /** One row of the time series: the fleet at the end of a window. */
    public record Sample(
            double seconds,
            int[] running,
            int[] provisioning,
            int queuedInteractive,
            int queuedBatch,
            double meanBatchCap,
            double interactiveAttainment,
            double batchAttainment,
            double gpus) {}

    /** What a run produced. */
    public record Result(
            String policy,
            PolicyResult metrics,
            double simulatedSeconds,
            double wallSeconds,
            List<ScalingDecision> decisions,
            List<Sample> series) {}

    private record Pending(double atMs, FleetCommand command) {}

    private final Fleet fleet;
    private final ScalingPolicy policy;
    private final SignalCollector collector;
    private final Options options;
    private final SafetyGuard guard;
    private final GuardMemory guardMemory = new InMemoryGuardMemory();
    private final Workload workload;

    public Simulation(SimConfig config, Workload workload, ScalingPolicy policy, Options options) {
        this.options = options;
        this.policy = policy;
        this.collector =
                new SignalCollector(
                        options.window().toMillis(),
                        config.heartbeat.toMillis(),
                        options.queueBucket().toMillis());
        this.fleet = new Fleet(config, workload, collector);
        this.guard = new SafetyGuard(options.guard());
        this.workload = workload;
    }

    public Fleet fleet() {
        return fleet;
    }

    /**
     * Runs until every request has finished or {@code horizon} of simulated time has passed.
     *
     * @param progress called once per simulated minute
     */
    public Result run(Duration horizon, Consumer<Fleet> progress) {
        long wallStart = System.nanoTime();
        long windowMs = options.window().toMillis();
        double endMs = horizon.toMillis();
        double arrivalsEndMs = workload.spec().duration().toMillis();
        double nextWindow = windowMs;
        double nextProgress = 60_000;
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        List<ScalingDecision> decisions = new ArrayList<>();
        List<Sample> series = new ArrayList<>();
        long rejected = 0;
        while (fleet.now() < endMs) {
            double next = Math.min(endMs, nextWindow);
            if (!pending.isEmpty()) {
                next = Math.min(next, pending.peek().atMs());
            }
            fleet.advanceTo(next);
            while (!pending.isEmpty() && pending.peek().atMs() <= next) {
                fleet.apply(pending.poll().command());
            }
            if (next == nextWindow) {
                for (SignalCollector.Window w : collector.closeUntil(fleet.nowEpochMs())) {
                    for (ScalingDecision d : policy.decide(w.instances(), w.pool())) {
                        decisions.add(d);
                        SafetyGuard.Verdict v = check(d, w.pool().getWindowEndMs());
                        if (v.outcome() == SafetyGuard.Outcome.REJECT) {
                            rejected++;
                        } else if (v.allowed()) {
                            // Decisions are made in order, so their commands stay in order.
                            pending.add(
                                    new Pending(
                                            next + options.actuationDelay().toMillis(),
                                            Commands.of(d, v.value())));
                        }
                    }
                }
                series.add(sample());
                nextWindow += windowMs;
                if (fleet.now() >= arrivalsEndMs && fleet.drained()) {
                    break;
                }
            }
            if (fleet.now() >= nextProgress) {
                progress.accept(fleet);
                nextProgress += 60_000;
            }
        }
        return new Result(
                policy.name(),
                PolicyResult.of(fleet, rejected, arrivalsEndMs / 1000),
                fleet.now() / 1000,
                (System.nanoTime() - wallStart) / 1e9,
                decisions,
                series);
    }

    /** The guard's verdict, with the window's end as its watermark, as the job's actuator has. */
    private SafetyGuard.Verdict check(ScalingDecision d, long watermarkMs) {
        try {
            return guard.check(d, watermarkMs, guardMemory);
        } catch (Exception e) {
            // In-memory guard memory does not throw; a failure here is a bug, not a fault.
            throw new IllegalStateException("safety guard failed on " + d.getDecisionId(), e);
        }
    }

    private Sample sample() {
        int[] running = new int[3];
        int[] provisioning = new int[3];
        for (InstanceRole r : InstanceRole.values()) {
            running[r.ordinal()] = fleet.count(r, InstanceState.RUNNING);
            provisioning[r.ordinal()] = fleet.count(r, InstanceState.PROVISIONING);
        }
        double meanCap =
                fleet.batchCaps().values().stream().mapToInt(Integer::intValue).average().orElse(0);
        int live = 0;
        for (InstanceRole r : InstanceRole.values()) {
            live +=
                    running[r.ordinal()]
                            + provisioning[r.ordinal()]
                            + fleet.count(r, InstanceState.DRAINING);
        }
        return new Sample(
                fleet.now() / 1000,
                running,
                provisioning,
                fleet.queuedInteractive(),
                fleet.queuedBatch(),
                meanCap,
                fleet.stats().interactiveAttainment(),
                fleet.stats().batchAttainment(),
                live);
    }
}
