package io.chiron.app.demo;

import io.chiron.embedded.EmbeddedStack;
import io.chiron.fleet.kafka.ClosedLoopFleet;
import io.chiron.fleet.kafka.KafkaTelemetry;
import io.chiron.fleet.report.Bounds;
import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.DeadLetter;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The closed loop on one machine: an embedded Kafka broker and Flink MiniCluster, the Chiron job on
 * the MiniCluster, and the simulated fleet replaying a real trace at a speed-up, sending its
 * telemetry to Kafka and obeying the commands the actuator sends back.
 */
public final class Demo {
    /** What a demo run produced: the fleet's ground truth and what crossed every topic. */
    public record Result(
            DemoOptions options,
            PolicyResult chiron,
            double simulatedSeconds,
            double wallSeconds,
            double startupSeconds,
            long telemetryRecords,
            List<InstanceSignal> instanceSignals,
            List<PoolSignal> poolSignals,
            List<ScalingDecision> decisions,
            List<ActuationResult> actuations,
            List<DeadLetter> deadLetters,
            List<ClosedLoopFleet.Applied> applied,
            long endEpochMs,
            double lowerBoundGpuHours) {

        public long decisions(DecisionAction action) {
            return decisions.stream().filter(d -> d.getAction() == action).count();
        }

        public long actuations(ActuationStatus status) {
            return actuations.stream().filter(a -> a.getStatus() == status).count();
        }

        /** Simulated seconds from decision to effect at the fleet, the given percentile. */
        public double lagSeconds(double percentile) {
            double[] lags =
                    applied.stream().mapToDouble(a -> a.lagMs() / 1000.0).sorted().toArray();
            if (lags.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.min(lags.length - 1, Math.ceil(percentile / 100 * lags.length) - 1);
            return lags[Math.max(0, i)];
        }
    }

    private Demo() {}

    /**
     * Runs the demo.
     *
     * @param progress called about once per wall-clock second with the fleet, from the fleet's
     *     thread
     */
    public static Result run(DemoOptions o, Consumer<Fleet> progress) throws Exception {
        return run(o, progress, bootstrapServers -> {});
    }

    /** Something to do with the demo's topics before the stack stops. */
    @FunctionalInterface
    public interface WhileUp {
        void use(String bootstrapServers) throws Exception;
    }

    /**
     * Runs the demo, then hands the stack's broker, its topics filled by the run, to {@code
     * whileUp} before stopping it.
     */
    public static Result run(DemoOptions o, Consumer<Fleet> progress, WhileUp whileUp)
            throws Exception {
        long wallStart = System.nanoTime();
        // The loop runs on the wall clock's date (whole seconds), as a live fleet would.
        Workload workload = workload(o, System.currentTimeMillis() / 1000 * 1000);
        ChironConfig policy = ChironConfig.defaults();

        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 1);
        }
        try (EmbeddedStack stack = EmbeddedStack.start(2, topics)) {
            double startup = stack.startupTime().toMillis() / 1000.0;
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.DRY_RUN, o.dryRun());
            conf.set(JobOptions.PARALLELISM, 1);
            // Commands reach the fleet when their checkpoint commits (exactly once): often, so
            // the loop stays quick at the speed-up.
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            // The fleet runs faster than the wall clock: emit watermarks often, so windows close
            // within a small fraction of a simulated period.
            conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(50));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, policy);
            JobID job = stack.flink().submit(env, "chiron");
            awaitRunning(stack, job, Duration.ofSeconds(60));

            SimConfig sim = new SimConfig();
            sim.initialInstances = o.initialInstances();
            long sent;
            ClosedLoopFleet loop;
            Fleet fleet;
            try (KafkaTelemetry telemetry =
                    new KafkaTelemetry(
                            stack.bootstrapServers(),
                            Topic.REQUESTS.defaultName(),
                            Topic.HEARTBEATS.defaultName())) {
                fleet = new Fleet(sim, workload, telemetry);
                loop =
                        new ClosedLoopFleet(
                                fleet,
                                telemetry,
                                stack.bootstrapServers(),
                                Topic.COMMANDS.defaultName(),
                                o.speedup());
                try (loop) {
                    loop.run(o.simulated().toMillis(), progress);
                    // The arrivals stop; the requests still queued or running finish, so every
                    // request has an outcome (a cut would count the ones in flight as unmet).
                    loop.drain(Simulation.defaultHorizon(workload).toMillis(), progress);
                }
                sent = telemetry.sent();
            }
            // Drain: every window fires and every sink flushes before the topics are read.
            stack.flink().stopWithDrain(job);
            String bs = stack.bootstrapServers();
            List<ActuationResult> actuations =
                    TopicReader.readAll(bs, Topic.ACTUATIONS.defaultName(), ActuationResult.class);
            long rejected =
                    actuations.stream()
                            .filter(a -> a.getStatus() == ActuationStatus.REJECTED)
                            .count();
            Result result =
                    new Result(
                            o,
                            PolicyResult.of(fleet, rejected, o.simulated().toMillis() / 1000.0),
                            fleet.now() / 1000,
                            (System.nanoTime() - wallStart) / 1e9,
                            startup,
                            sent,
                            TopicReader.readAll(
                                    bs, Topic.INSTANCE_SIGNALS.defaultName(), InstanceSignal.class),
                            TopicReader.readAll(
                                    bs, Topic.POOL_SIGNALS.defaultName(), PoolSignal.class),
                            TopicReader.readAll(
                                    bs, Topic.DECISIONS.defaultName(), ScalingDecision.class),
                            actuations,
                            TopicReader.readAll(
                                    bs, Topic.DEAD_LETTERS.defaultName(), DeadLetter.class),
                            loop.applied(),
                            fleet.nowEpochMs(),
                            Bounds.lowerBoundGpuHours(sim, workload));
            whileUp.use(bs);
            return result;
        }
    }

    /** The demo's load, its simulated time starting at {@code startEpochMs}. */
    public static Workload workload(DemoOptions o, long startEpochMs) {
        WorkloadSpec spec =
                WorkloadSpec.of(o.scenario(), o.rateMultiplier(), o.simulated(), o.seed())
                        .withBatch(
                                o.batchBulk(),
                                o.batchFirstAt(),
                                Duration.ofHours(24),
                                o.batchDeadline());
        return Workload.build(Trace.load(o.trace(), o.seed()), spec, startEpochMs);
    }

    private static void awaitRunning(EmbeddedStack stack, JobID job, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobStatus status = stack.flink().status(job);
            if (status == JobStatus.RUNNING) {
                return;
            }
            if (status.isTerminalState()) {
                throw new IllegalStateException(
                        "the Chiron job ended before it ran: "
                                + status
                                + "; run with --verbose to see Flink's log");
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the Chiron job did not start within " + timeout);
            }
            // Polling the job status of an in-process cluster: a short wait between asks.
            Thread.sleep(50);
        }
    }
}
