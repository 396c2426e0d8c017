package io.chiron.fleet.run;

import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
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
 * window end, and its decisions reach the fleet after an actuation delay. Deterministic for a given
 * workload, configuration and policy.
 */
public final class Simulation {
    /** How the loop is timed. */
    public record Options(Duration window, Duration actuationDelay, Duration queueBucket) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(1));
        }
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

    public Simulation(SimConfig config, Workload workload, ScalingPolicy policy, Options options) {
        this.options = options;
        this.policy = policy;
        this.collector =
                new SignalCollector(
                        options.window().toMillis(),
                        config.heartbeat.toMillis(),
                        options.queueBucket().toMillis());
        this.fleet = new Fleet(config, workload, collector);
    }

    public Fleet fleet() {
        return fleet;
    }

    /**
     * Runs for {@code duration} of simulated time.
     *
     * @param progress called once per simulated minute
     */
    public Result run(Duration duration, Consumer<Fleet> progress) {
        long wallStart = System.nanoTime();
        long windowMs = options.window().toMillis();
        double endMs = duration.toMillis();
        double nextWindow = windowMs;
        double nextProgress = 60_000;
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        List<ScalingDecision> decisions = new ArrayList<>();
        List<Sample> series = new ArrayList<>();
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
                        // Decisions are made in order, so their commands stay in order.
                        pending.add(
                                new Pending(
                                        next + options.actuationDelay().toMillis(),
                                        Commands.of(d, d.getTarget())));
                    }
                }
                series.add(sample());
                nextWindow += windowMs;
            }
            if (fleet.now() >= nextProgress) {
                progress.accept(fleet);
                nextProgress += 60_000;
            }
        }
        return new Result(
                policy.name(),
                PolicyResult.of(fleet),
                fleet.now() / 1000,
                (System.nanoTime() - wallStart) / 1e9,
                decisions,
                series);
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
