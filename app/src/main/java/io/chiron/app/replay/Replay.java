package io.chiron.app.replay;

import io.chiron.app.demo.TopicReader;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.fleet.run.SignalCollector;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.ChironPolicy;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.ActuationResult;
import io.chiron.records.AvroSerializer;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same recorded telemetry through two paths that must agree: the Flink job on the embedded
 * stack, or straight through the policy with the job's window arithmetic ({@link SignalCollector}).
 * Their decisions, and so their digests, are equal.
 */
public final class Replay {
    private Replay() {}

    /** The decisions of the direct path, in the order they were taken. */
    public static List<ScalingDecision> direct(Recording recording, ChironConfig config) {
        LatencyModel model = new LatencyModel(GpuProfile.shipped());
        ChironPolicy policy = new ChironPolicy(config, model);
        SignalCollector collector =
                new SignalCollector(
                        config.localPeriod.toMillis(),
                        config.heartbeatInterval.toMillis(),
                        JobOptions.QUEUE_BUCKET.defaultValue().toMillis());
        List<ScalingDecision> decisions = new ArrayList<>();
        long windowMs = config.localPeriod.toMillis();
        long closedUntil = Long.MIN_VALUE;
        for (SpecificRecord r : recording.records()) {
            long ts = Recording.timestamp(r);
            // A window closes once telemetry of a later window appears (in-order telemetry: the
            // watermark of the Flink job passes it no later, and no record of it comes after).
            long windowStart = Math.floorDiv(ts, windowMs) * windowMs;
            if (windowStart > closedUntil) {
                decide(collector.closeUntil(windowStart), policy, decisions);
                closedUntil = windowStart;
            }
            if (r instanceof RequestEvent e) {
                collector.request(e);
            } else {
                collector.heartbeat((InstanceHeartbeat) r);
            }
        }
        // End of input: every window fires, as when the bounded Flink job finishes.
        decide(collector.closeUntil(Long.MAX_VALUE), policy, decisions);
        return decisions;
    }

    private static void decide(
            List<SignalCollector.Window> windows, ChironPolicy policy, List<ScalingDecision> out) {
        for (SignalCollector.Window w : windows) {
            out.addAll(policy.decide(w.instances(), w.pool()));
        }
    }

    /** The decisions of the Flink path: the job on an embedded stack, reading the recording. */
    public static List<ScalingDecision> flink(Recording recording, int parallelism)
            throws Exception {
        return flink(recording, parallelism, new Configuration()).decisions();
    }

    /** What a Flink replay produced, and how often its tasks were restarted. */
    public record FlinkRun(
            List<ScalingDecision> decisions,
            List<FleetCommand> commands,
            List<ActuationResult> actuations,
            int restarts) {}

    /**
     * @param overrides job options on top of the replay's own (for example a forced failure)
     */
    public static FlinkRun flink(Recording recording, int parallelism, Configuration overrides)
            throws Exception {
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), parallelism);
        }
        try (EmbeddedStack stack = EmbeddedStack.start(Math.max(2, parallelism), topics)) {
            publish(stack.bootstrapServers(), recording);
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.PARALLELISM, parallelism);
            conf.set(JobOptions.BOUNDED, true);
            conf.set(JobOptions.IDLENESS, Duration.ZERO);
            conf.set(JobOptions.DRY_RUN, true);
            conf.addAll(overrides);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            JobID job = stack.flink().submit(env, "chiron-replay");
            var result = stack.flink().result(job).get();
            if (!result.isSuccess()) {
                throw new IllegalStateException(
                        "the replay job failed", result.getSerializedThrowable().orElse(null));
            }
            String bs = stack.bootstrapServers();
            return new FlinkRun(
                    TopicReader.readAll(bs, Topic.DECISIONS.defaultName(), ScalingDecision.class),
                    TopicReader.readAll(bs, Topic.COMMANDS.defaultName(), FleetCommand.class),
                    TopicReader.readAll(bs, Topic.ACTUATIONS.defaultName(), ActuationResult.class),
                    stack.flink().maxAttemptNumber(job));
        }
    }

    /**
     * The Kafka key a fleet gives a telemetry record: the instance id (a request event not yet on
     * an instance: its model).
     */
    public static String key(SpecificRecord r) {
        if (r instanceof RequestEvent e) {
            return e.getInstanceId() != null ? e.getInstanceId() : e.getModel();
        }
        return ((InstanceHeartbeat) r).getInstanceId();
    }

    /** Sends the recording to the telemetry topics, keyed and timestamped as a fleet does. */
    public static void publish(String bootstrap, Recording recording) {
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        20,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024);
        try (var requests =
                        new KafkaProducer<>(
                                config,
                                new StringSerializer(),
                                new AvroSerializer<>(RequestEvent.class));
                var heartbeats =
                        new KafkaProducer<>(
                                config,
                                new StringSerializer(),
                                new AvroSerializer<>(InstanceHeartbeat.class))) {
            for (SpecificRecord r : recording.records()) {
                if (r instanceof RequestEvent e) {
                    requests.send(
                            new ProducerRecord<>(
                                    Topic.REQUESTS.defaultName(), null, e.getTsMs(), key(e), e));
                } else {
                    InstanceHeartbeat h = (InstanceHeartbeat) r;
                    heartbeats.send(
                            new ProducerRecord<>(
                                    Topic.HEARTBEATS.defaultName(), null, h.getTsMs(), key(h), h));
                }
            }
        }
    }

    /**
     * SHA-256 over the decisions in (time, id) order: id, action, target, instance or role, time.
     * The reasons and input snapshots are left out: they format floating-point sums whose last
     * digits may depend on the order a parallel job adds them in.
     */
    public static String digest(List<ScalingDecision> decisions) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            decisions.stream()
                    .sorted(
                            Comparator.comparingLong(ScalingDecision::getTsMs)
                                    .thenComparing(ScalingDecision::getDecisionId))
                    .forEach(
                            d ->
                                    sha.update(
                                            (d.getDecisionId()
                                                            + '|'
                                                            + d.getAction()
                                                            + '|'
                                                            + d.getTarget()
                                                            + '|'
                                                            + (d.getInstanceId() != null
                                                                    ? d.getInstanceId()
                                                                    : d.getRole())
                                                            + '|'
                                                            + d.getTsMs()
                                                            + '\n')
                                                    .getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
