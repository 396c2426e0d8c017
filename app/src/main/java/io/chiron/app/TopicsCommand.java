package io.chiron.app;

import io.chiron.kafka.KafkaClientProperties;
import io.chiron.kafka.KafkaReachability;
import io.chiron.records.Topic;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

/** {@code chiron topics}: creates Chiron's topics on a Kafka cluster. */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Creates Chiron's topics on a Kafka cluster, with partitions, replication and"
                    + " retention; topics that exist are left as they are and reported."
        })
final class TopicsCommand implements Callable<Integer> {
    /** Telemetry is voluminous and only needed until the job has read it. */
    private static final Set<Topic> TELEMETRY = Set.of(Topic.REQUESTS, Topic.HEARTBEATS);

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka brokers (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--partitions",
            defaultValue = "2",
            description =
                    "Partitions per topic (default ${DEFAULT-VALUE}); at least the job's"
                            + " parallelism, or some of its source subtasks idle.")
    int partitions;

    @Option(
            names = "--replication-factor",
            description = "Replicas per partition (default: 3, or the brokers if fewer).")
    Short replicationFactor;

    @Option(
            names = "--telemetry-retention",
            defaultValue = "1d",
            converter = DurationConverter.class,
            description =
                    "Retention of chiron.requests and chiron.heartbeats (default"
                            + " ${DEFAULT-VALUE}): long enough for the job to catch up after an"
                            + " outage, and for replays.")
    Duration telemetryRetention;

    @Option(
            names = "--retention",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description =
                    "Retention of the signal, decision, command, actuation and dead-letter"
                            + " topics (default ${DEFAULT-VALUE}).")
    Duration retention;

    @Option(
            names = "--kafka-properties",
            description =
                    "Kafka client settings (security.protocol, sasl.*, ssl.*); $${VAR} in a value"
                            + " is read from the environment.")
    Path kafkaProperties;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor != null && replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "--replication-factor must be >= 1, was " + replicationFactor);
        }
        for (Duration d : new Duration[] {telemetryRetention, retention}) {
            if (d.compareTo(Duration.ofMinutes(30)) < 0) {
                throw new IllegalArgumentException(
                        "retentions must be at least 30 min (a transaction may last 15), was " + d);
            }
        }
        Map<String, Object> config = new HashMap<>();
        if (kafkaProperties != null) {
            config.putAll(KafkaClientProperties.load(kafkaProperties));
        }
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        KafkaReachability.check(
                bootstrapServers,
                "--bootstrap-servers",
                kafkaProperties == null ? Map.of() : KafkaClientProperties.load(kafkaProperties),
                KafkaReachability.DEFAULT_TIMEOUT);
        PrintStream out = System.out;
        try (Admin admin = Admin.create(config)) {
            int brokers = admin.describeCluster().nodes().get().size();
            short rf =
                    replicationFactor != null
                            ? replicationFactor
                            : (short) Math.max(1, Math.min(3, brokers));
            if (rf > brokers) {
                throw new IllegalArgumentException(
                        String.format(
                                "--replication-factor %d exceeds the %d broker(s) of %s",
                                rf, brokers, bootstrapServers));
            }
            int created = 0;
            for (Topic t : Topic.values()) {
                Map<String, String> topicConfig = new LinkedHashMap<>();
                Duration keep = TELEMETRY.contains(t) ? telemetryRetention : retention;
                topicConfig.put("retention.ms", Long.toString(keep.toMillis()));
                if (rf >= 3) {
                    topicConfig.put("min.insync.replicas", "2");
                }
                NewTopic topic = new NewTopic(t.defaultName(), partitions, rf).configs(topicConfig);
                try {
                    admin.createTopics(java.util.List.of(topic)).all().get();
                    created++;
                    out.printf(
                            "created %-24s %d partitions x %d replicas, retention %s  (%s)%n",
                            t.defaultName(), partitions, rf, keep, t.description());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    out.printf("exists  %-24s left as it is%n", t.defaultName());
                }
            }
            awaitVisible(admin, VISIBLE_WITHIN);
            out.printf(
                    "%d of %d topics created on %s (%d broker(s))%n",
                    created, Topic.values().length, bootstrapServers, brokers);
        }
        return 0;
    }

    /** How long created topics may take to show in every broker's metadata. */
    static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

    /**
     * Returns once every topic is in the brokers' metadata. A created topic reaches a broker's
     * metadata cache a moment after the controller accepts it; a client that describes or produces
     * to it in that moment is told "This server does not host this topic-partition". The command
     * ends when the topics can be used.
     */
    private static void awaitVisible(Admin admin, Duration within) throws Exception {
        java.util.List<String> names =
                java.util.Arrays.stream(Topic.values()).map(Topic::defaultName).toList();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause()
                                instanceof
                                org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
