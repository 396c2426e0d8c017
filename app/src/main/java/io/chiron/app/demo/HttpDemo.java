package io.chiron.app.demo;

import io.chiron.actuator.ActuatorConfig;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.emulator.Emulator;
import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.workload.Workload;
import io.chiron.gateway.Gateway;
import io.chiron.gateway.GatewayConfig;
import io.chiron.jobs.ActuatorOptions;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceRole;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The closed loop over real HTTP: an embedded broker and MiniCluster running the Chiron job;
 * emulated vLLM instances; the gateway in front of them, discovering them from the emulator's
 * control endpoint, sending telemetry to the broker and capping each instance at the job's
 * SET_BATCH_SIZE; the actuator scaling the emulator through its webhook (SET_REPLICAS); and a load
 * generator replaying the trace in real time as OpenAI streamed completions to the gateway. What
 * every client saw is the ground truth of the summary.
 */
public final class HttpDemo {
    /** What the run produced. */
    public record Result(
            DemoOptions options,
            PolicyResult chiron,
            double wallSeconds,
            double arrivalSeconds,
            List<ScalingDecision> decisions,
            List<ActuationResult> actuations,
            Map<String, Long> gateway,
            int peakInstances) {

        public long decisions(DecisionAction a) {
            return decisions.stream().filter(d -> d.getAction() == a).count();
        }

        public long actuations(ActuationStatus s) {
            return actuations.stream().filter(x -> x.getStatus() == s).count();
        }
    }

    /** A status line about once a second: elapsed arrival seconds and what is going on. */
    public interface Progress {
        void update(long seconds, String status);
    }

    private HttpDemo() {}

    public static Result run(DemoOptions o, Progress progress, Consumer<String> events)
            throws Exception {
        long wallStart = System.nanoTime();
        Workload workload = Demo.workload(o, System.currentTimeMillis() / 1000 * 1000);
        ChironConfig policy = ChironConfig.defaults();
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 1);
        }
        List<InstanceRole> roles = new ArrayList<>();
        for (InstanceRole role : InstanceRole.values()) {
            for (int i = 0; i < o.initialInstances().get(role); i++) {
                roles.add(role);
            }
        }
        int base = Emulator.freePorts(Math.max(1, roles.size()));
        int control;
        do {
            control = Emulator.freePorts(1); // not one of the instances' ports
        } while (control >= base && control < base + roles.size());
        Emulator.Options eo = Emulator.Options.defaults(); // the simulator's cold start
        try (EmbeddedStack stack = EmbeddedStack.start(2, topics);
                Emulator emulator = Emulator.start(eo, roles, base, control, events)) {
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.DRY_RUN, o.dryRun());
            conf.set(JobOptions.PARALLELISM, 1);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(1));
            conf.set(ActuatorOptions.REPLICAS_BACKEND, ActuatorConfig.Backend.HTTP);
            conf.set(
                    ActuatorOptions.HTTP_URL,
                    "http://127.0.0.1:" + emulator.controlPort() + "/commands");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, policy);
            JobID job = stack.flink().submit(env, "chiron");
            GatewayConfig gc =
                    GatewayConfig.defaults()
                            .with(
                                    "127.0.0.1",
                                    0,
                                    List.of(),
                                    URI.create(
                                            "http://127.0.0.1:"
                                                    + emulator.controlPort()
                                                    + "/instances"),
                                    stack.bootstrapServers());
            int peak;
            double arrivalSeconds = o.simulated().toMillis() / 1000.0;
            ClassOutcome[] outcomes;
            long metTokens;
            double instanceSeconds = 0;
            Map<String, Long> gatewayStats;
            try (Gateway gateway = Gateway.start(gc, events)) {
                HttpLoad load =
                        new HttpLoad(gateway.port(), gc.ttftSloMs(), gc.interactiveItlSloMs());
                try {
                    var allSent = load.replay(workload);
                    long t0 = System.nanoTime();
                    long end = t0 + o.simulated().toNanos();
                    // After the arrivals, a minute for what is still open (then it is unfinished).
                    long drainEnd = end + Duration.ofMinutes(1).toNanos();
                    peak = 0;
                    long lastTick = t0;
                    while (true) {
                        long now = System.nanoTime();
                        if (now >= drainEnd
                                || (now >= end && allSent.isDone() && load.open() == 0)) {
                            break;
                        }
                        // The progress line and the GPU count, once a second of wall time.
                        Thread.sleep(1000);
                        long t = System.nanoTime();
                        int live = 0;
                        Map<InstanceRole, Integer> byRole =
                                new java.util.EnumMap<>(InstanceRole.class);
                        for (Emulator.Listing l : emulator.instances()) {
                            if (l.state() != Emulator.State.STOPPED) {
                                live++;
                                byRole.merge(l.role(), 1, Integer::sum);
                            }
                        }
                        instanceSeconds += live * (t - lastTick) / 1e9;
                        lastTick = t;
                        peak = Math.max(peak, live);
                        progress.update(
                                Math.min(o.simulated().toSeconds(), (t - t0) / 1_000_000_000L),
                                String.format(
                                        "sent %,d, open %,d, instances %d/%d/%d, caps applied %d",
                                        load.sent(),
                                        load.open(),
                                        byRole.getOrDefault(InstanceRole.INTERACTIVE, 0),
                                        byRole.getOrDefault(InstanceRole.MIXED, 0),
                                        byRole.getOrDefault(InstanceRole.BATCH, 0),
                                        gateway.stats().capsApplied.get()));
                    }
                    outcomes = load.outcomes();
                    metTokens = load.metTokens();
                } finally {
                    load.close();
                }
                gateway.flush();
                gatewayStats = new LinkedHashMap<>(gateway.stats().asMap());
            }
            stack.flink().stopWithDrain(job);
            String bs = stack.bootstrapServers();
            List<ActuationResult> actuations =
                    TopicReader.readAll(bs, Topic.ACTUATIONS.defaultName(), ActuationResult.class);
            List<ScalingDecision> decisions =
                    TopicReader.readAll(bs, Topic.DECISIONS.defaultName(), ScalingDecision.class);
            double gpuHours = instanceSeconds / 3600;
            ClassOutcome in = outcomes[0];
            ClassOutcome ba = outcomes[1];
            long applied =
                    actuations.stream()
                            .filter(a -> a.getStatus() == ActuationStatus.APPLIED)
                            .count();
            long replicaActions =
                    decisions.stream()
                            .filter(d -> d.getAction() == DecisionAction.SET_REPLICAS)
                            .count();
            long rejected =
                    actuations.stream()
                            .filter(a -> a.getStatus() == ActuationStatus.REJECTED)
                            .count();
            Map<String, ClassOutcome> classes = new LinkedHashMap<>();
            classes.put("interactive", in);
            classes.put("batch", ba);
            PolicyResult r =
                    new PolicyResult(
                            in.arrived() == 0 ? null : (double) in.met() / in.arrived(),
                            ba.arrived() == 0 ? null : (double) ba.met() / ba.arrived(),
                            gpuHours,
                            gpuHours == 0 ? 0 : metTokens / gpuHours,
                            (in.arrived()
                                            - in.missedDropped()
                                            - in.missedUnfinished()
                                            + ba.arrived()
                                            - ba.missedDropped()
                                            - ba.missedUnfinished())
                                    / arrivalSeconds,
                            (in.met() + ba.met()) / arrivalSeconds,
                            replicaActions,
                            emulator.preemptions(),
                            rejected,
                            decisions.size() - replicaActions,
                            (System.nanoTime() - wallStart) / 1e9,
                            classes);
            gatewayStats.put("actuations_applied", applied);
            return new Result(
                    o,
                    r,
                    (System.nanoTime() - wallStart) / 1e9,
                    arrivalSeconds,
                    decisions,
                    actuations,
                    gatewayStats,
                    peak);
        }
    }
}
