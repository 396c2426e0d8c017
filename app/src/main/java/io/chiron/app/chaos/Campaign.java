package io.chiron.app.chaos;

import io.chiron.app.demo.TopicReader;
import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.ActuationResult;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs fault scenarios on one embedded stack: each on topics of its own, the Chiron job reading
 * them live, the recorded telemetry sent in two halves with the fault between them, the job drained
 * at the end (every window fires, as at the end of a replay). A scenario's decisions are compared,
 * by their deterministic ids, with those of the clean run of the same telemetry.
 */
public final class Campaign {
    /** How long the job may take to catch up after a fault before the scenario fails. */
    static final Duration CATCH_UP = Duration.ofMinutes(6);

    private final EmbeddedStack stack;
    private final Recording recording;
    private final Injector injector;
    private final Consumer<String> progress;
    private final Webhook webhook = new Webhook();
    private KubernetesApi kubernetes;
    private int runs;
    private Set<String> cleanDecisions;

    public Campaign(EmbeddedStack stack, Recording recording, Consumer<String> progress) {
        this.stack = stack;
        this.recording = recording;
        this.injector = new Injector(recording);
        this.progress = progress;
    }

    /** The scenario with no fault; its decisions are what every other scenario must make. */
    public ChaosResult clean() throws Exception {
        Fault none =
                new Fault() {
                    @Override
                    public String name() {
                        return "clean";
                    }

                    @Override
                    public String description() {
                        return "the telemetry alone: the reference";
                    }
                };
        Outcome o = execute(none);
        cleanDecisions = o.decisionIds();
        return result(none, o, 0);
    }

    /** Runs one scenario (after {@link #clean()}). */
    public ChaosResult run(Fault fault) throws Exception {
        if (cleanDecisions == null) {
            throw new IllegalStateException("run the clean scenario first");
        }
        Outcome o = execute(fault);
        return result(fault, o, fault.injectionsAreInvalid() ? o.injected : 0);
    }

    /** Event time of the first record of the recording's second half. */
    private long secondHalfFromMs() {
        return Recording.timestamp(recording.records().get(recording.records().size() / 2));
    }

    /** What a run left on its topics. */
    private record Outcome(
            List<ScalingDecision> decisions,
            List<DeadLetter> deadLetters,
            List<ActuationResult> actuations,
            long injected,
            int restarts,
            String state,
            double seconds) {
        Set<String> decisionIds() {
            return decisions.stream()
                    .map(ScalingDecision::getDecisionId)
                    .collect(Collectors.toSet());
        }
    }

    private ChaosResult result(Fault fault, Outcome o, long malformedSent) {
        Set<String> ids = o.decisionIds();
        boolean compare = fault.comparesWithClean();
        long missing =
                compare ? cleanDecisions.stream().filter(id -> !ids.contains(id)).count() : 0;
        long extra = compare ? ids.stream().filter(id -> !cleanDecisions.contains(id)).count() : 0;
        String failure = fault.judge(o.decisions, o.actuations, secondHalfFromMs());
        // One outcome per decision from the guard, and one per backend that applied it.
        Map<String, Long> outcomes =
                o.actuations.stream()
                        .collect(
                                Collectors.groupingBy(
                                        a -> a.getDecisionId() + "/" + a.getBackend(),
                                        Collectors.counting()));
        Set<String> actuated =
                o.actuations.stream()
                        .map(ActuationResult::getDecisionId)
                        .collect(Collectors.toSet());
        long duplicates =
                (o.decisions.size() - ids.size())
                        + outcomes.values().stream().mapToLong(n -> n - 1).sum();
        long actuationsMissing = ids.stream().filter(id -> !actuated.contains(id)).count();
        long dead = o.deadLetters.size();
        long lost = Math.max(0, malformedSent - dead);
        long turnedAway = Math.max(0, dead - malformedSent);
        boolean passed =
                lost == 0
                        && turnedAway == 0
                        && missing == 0
                        && extra == 0
                        && duplicates == 0
                        && actuationsMissing == 0
                        && failure == null
                        && o.state.equals("FINISHED");
        return new ChaosResult(
                fault.name(),
                fault.description(),
                malformedSent,
                dead,
                lost,
                turnedAway,
                o.decisions.size(),
                missing,
                extra,
                duplicates,
                actuationsMissing,
                o.restarts,
                failure == null ? o.state : o.state + ": " + failure,
                Math.round(o.seconds * 10) / 10.0,
                passed);
    }

    private Outcome execute(Fault fault) throws Exception {
        long t0 = System.nanoTime();
        Topics topics = new Topics("chaos-" + (++runs) + "-" + fault.name());
        stack.kafka().createTopics(topics.all());
        Configuration conf = topics.configure(new Configuration());
        conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        conf.set(JobOptions.GROUP_ID, topics.prefix);
        conf.set(JobOptions.IDLENESS, Duration.ZERO);
        conf.set(JobOptions.DRY_RUN, true);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
        conf.set(JobOptions.RESTART_MAX_BACKOFF, Duration.ofSeconds(10));
        fault.configure(
                conf,
                new Fault.Backends(
                        webhook.url(), kubernetes().masterUrl(), KubernetesApi.NAMESPACE));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ChironJob.wireKafka(env, conf, ChironConfig.defaults());
        JobID job = stack.flink().submit(env, "chiron-" + topics.prefix);

        List<Fault.Injection> injections = fault.injections(injector);
        List<SpecificRecord> good = recording.records();
        int half = good.size() / 2;
        try (Publisher publisher = new Publisher(stack.bootstrapServers(), topics)) {
            fault.before(environment());
            int split = fault.spread() ? injections.size() / 2 : injections.size();
            publisher.send(good, 0, half, injections, 0, split, fault.spread());
            awaitFirstDecision(topics);
            fault.during(environment());
            List<SpecificRecord> rest =
                    good.subList(half, good.size()).stream()
                            .filter(fault::sendsInSecondHalf)
                            .toList();
            publisher.send(rest, 0, rest.size(), injections, split, injections.size(), true);
        }
        String state = drain(job, topics);
        String bs = stack.bootstrapServers();
        return new Outcome(
                TopicReader.readAll(
                        bs, topics.name(JobOptions.DECISIONS_TOPIC), ScalingDecision.class),
                TopicReader.readAll(
                        bs, topics.name(JobOptions.DEAD_LETTERS_TOPIC), DeadLetter.class),
                TopicReader.readAll(
                        bs, topics.name(JobOptions.ACTUATIONS_TOPIC), ActuationResult.class),
                injections.size(),
                stack.flink().maxAttemptNumber(job),
                state,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The Kubernetes API, started on first use (the recording's model's Deployments). */
    private KubernetesApi kubernetes() {
        if (kubernetes == null) {
            kubernetes = new KubernetesApi(injector.request().getModel());
        }
        return kubernetes;
    }

    private Fault.Environment environment() {
        return new Fault.Environment() {
            @Override
            public void stopBroker() {
                stack.kafka().stop();
            }

            @Override
            public void restartBroker() {
                stack.kafka().restart();
            }

            @Override
            public void replaceTaskManager() throws Exception {
                stack.flink().replaceTaskManager();
            }

            @Override
            public void stopWebhook() {
                webhook.stop();
            }

            @Override
            public void restartWebhook() {
                webhook.restart();
            }

            @Override
            public void kubernetesDown() {
                kubernetes().down();
            }

            @Override
            public void kubernetesUp() {
                kubernetes().up();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                Thread.sleep(d.toMillis()); // the fault's length, not a synchronisation
            }

            @Override
            public void say(String line) {
                progress.accept("    " + line);
            }
        };
    }

    /** Waits until the job has committed its first decision: it is up and reading. */
    private void awaitFirstDecision(Topics topics) throws InterruptedException {
        TopicReader.awaitAny(
                stack.bootstrapServers(),
                topics.name(JobOptions.DECISIONS_TOPIC),
                ScalingDecision.class,
                Duration.ofMinutes(2));
    }

    /**
     * Waits until the job runs and has committed offsets up to the end of its input, then drains
     * it; returns the state it ended in (FINISHED), or the state it was stuck in.
     */
    private String drain(JobID job, Topics topics) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            JobStatus status = stack.flink().status(job);
            if (status.isGloballyTerminalState()) {
                return status.name();
            }
            if (status == JobStatus.RUNNING && caughtUp(topics)) {
                break;
            }
            if (System.nanoTime() > deadline) {
                stack.flink().cancel(job);
                return status.name() + " (not caught up after " + CATCH_UP.toMinutes() + " min)";
            }
            Thread.sleep(250);
        }
        try {
            return stack.flink()
                            .stopWithDrain(job)
                            .getApplicationStatus()
                            .name()
                            .equals("SUCCEEDED")
                    ? "FINISHED"
                    : stack.flink().status(job).name();
        } catch (Exception e) {
            return "FAILED to drain: " + e.getMessage();
        }
    }

    /** Whether the job's consumer group has committed the end offsets of both inputs. */
    private boolean caughtUp(Topics topics) throws Exception {
        try (Admin admin = stack.kafka().admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(topics.prefix)
                            .partitionsToOffsetAndMetadata()
                            .get();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (ConfigOption<String> o :
                    List.of(JobOptions.REQUESTS_TOPIC, JobOptions.HEARTBEATS_TOPIC)) {
                ends.put(new TopicPartition(topics.name(o), 0), OffsetSpec.latest());
            }
            var latest = admin.listOffsets(ends).all().get();
            for (var e : latest.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                if (c == null || c.offset() < e.getValue().offset()) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A scenario's own topics, one partition each (one order, as the clean run saw it). */
    static final class Topics {
        static final List<ConfigOption<String>> OPTIONS =
                List.of(
                        JobOptions.REQUESTS_TOPIC,
                        JobOptions.HEARTBEATS_TOPIC,
                        JobOptions.INSTANCE_SIGNALS_TOPIC,
                        JobOptions.POOL_SIGNALS_TOPIC,
                        JobOptions.DECISIONS_TOPIC,
                        JobOptions.COMMANDS_TOPIC,
                        JobOptions.ACTUATIONS_TOPIC,
                        JobOptions.DEAD_LETTERS_TOPIC);

        final String prefix;

        Topics(String prefix) {
            this.prefix = prefix;
        }

        String name(ConfigOption<String> option) {
            return prefix + "." + option.defaultValue();
        }

        Map<String, Integer> all() {
            Map<String, Integer> m = new LinkedHashMap<>();
            OPTIONS.forEach(o -> m.put(name(o), 1));
            return m;
        }

        Configuration configure(Configuration conf) {
            OPTIONS.forEach(o -> conf.set(o, name(o)));
            return conf;
        }
    }

    /** Sends the recording's records and the injections among them, as raw bytes. */
    private static final class Publisher implements AutoCloseable {
        private static final AvroCodec<RequestEvent> REQUESTS = AvroCodec.of(RequestEvent.class);
        private static final AvroCodec<InstanceHeartbeat> HEARTBEATS =
                AvroCodec.of(InstanceHeartbeat.class);

        private final KafkaProducer<byte[], byte[]> producer;
        private final String requests;
        private final String heartbeats;

        Publisher(String bootstrap, Topics topics) {
            this.producer =
                    new KafkaProducer<>(
                            Map.<String, Object>of(
                                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                    bootstrap,
                                    ProducerConfig.LINGER_MS_CONFIG,
                                    20,
                                    ProducerConfig.BATCH_SIZE_CONFIG,
                                    256 * 1024,
                                    // The 1 MB poison must reach the broker to be tested.
                                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                                    2 * 1024 * 1024),
                            new ByteArraySerializer(),
                            new ByteArraySerializer());
            this.requests = topics.name(JobOptions.REQUESTS_TOPIC);
            this.heartbeats = topics.name(JobOptions.HEARTBEATS_TOPIC);
        }

        /**
         * Sends good[from, to) with injections[iFrom, iTo) spread evenly among them (or after them
         * all), and waits until the broker has them all.
         *
         * @throws IllegalStateException when the broker refused a record
         */
        void send(
                List<SpecificRecord> good,
                int from,
                int to,
                List<Fault.Injection> injections,
                int iFrom,
                int iTo,
                boolean spread) {
            int n = to - from;
            int m = iTo - iFrom;
            int next = iFrom;
            for (int k = 0; k < n; k++) {
                SpecificRecord r = good.get(from + k);
                byte[] value =
                        r instanceof RequestEvent e
                                ? REQUESTS.encode(e)
                                : HEARTBEATS.encode((InstanceHeartbeat) r);
                send(
                        r instanceof RequestEvent ? requests : heartbeats,
                        Recording.timestamp(r),
                        bytes(Replay.key(r)),
                        value);
                // Injection j goes after good record (j + 1) * n / (m + 1), so they spread.
                while (spread && next < iTo && (long) (next - iFrom + 1) * n / (m + 1) <= k) {
                    send(injections.get(next++));
                }
            }
            while (next < iTo) {
                send(injections.get(next++));
            }
            producer.flush();
            if (failure != null) {
                throw new IllegalStateException("the broker refused a record", failure);
            }
        }

        private volatile Exception failure;

        private void send(Fault.Injection inj) {
            send(
                    inj.topic() == Injector.Target.REQUESTS ? requests : heartbeats,
                    inj.kafkaTs(),
                    inj.key(),
                    inj.value());
        }

        private void send(String topic, long ts, byte[] key, byte[] value) {
            producer.send(new ProducerRecord<>(topic, null, ts, key, value), this::sent);
        }

        private void sent(org.apache.kafka.clients.producer.RecordMetadata m, Exception e) {
            if (e != null && failure == null) {
                failure = e;
            }
        }

        private static byte[] bytes(String s) {
            return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
