package io.chiron.jobs;

import io.chiron.records.Topic;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** Typed options of the Chiron job: where it reads and writes, and how it treats time. */
public final class JobOptions {
    private JobOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("chiron.kafka.bootstrap-servers")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription(
                            "Kafka bootstrap servers of every topic the job reads or writes.");

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE =
            ConfigOptions.key("chiron.kafka.properties-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A Kafka client properties file applied to every source and sink of"
                                    + " the job (security.protocol, sasl.*, ssl.*); ${VAR} in a"
                                    + " value is read from the environment, so secrets stay out of"
                                    + " the command line. Read where the job is built (the client"
                                    + " or, in application mode, the JobManager).");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("chiron.kafka.group-id")
                    .stringType()
                    .defaultValue("chiron-pipeline")
                    .withDescription("Consumer group of the job's Kafka sources.");

    public static final ConfigOption<String> REQUESTS_TOPIC = topic(Topic.REQUESTS);
    public static final ConfigOption<String> HEARTBEATS_TOPIC = topic(Topic.HEARTBEATS);
    public static final ConfigOption<String> INSTANCE_SIGNALS_TOPIC = topic(Topic.INSTANCE_SIGNALS);
    public static final ConfigOption<String> POOL_SIGNALS_TOPIC = topic(Topic.POOL_SIGNALS);
    public static final ConfigOption<String> DECISIONS_TOPIC = topic(Topic.DECISIONS);
    public static final ConfigOption<String> COMMANDS_TOPIC = topic(Topic.COMMANDS);
    public static final ConfigOption<String> ACTUATIONS_TOPIC = topic(Topic.ACTUATIONS);
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC = topic(Topic.DEAD_LETTERS);

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            ConfigOptions.key("chiron.watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "How far out of event-time order telemetry may arrive and still count.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("chiron.watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "A source split without records for this long (wall-clock time) stops"
                                    + " holding back the watermark; 0 turns idleness off (for"
                                    + " replays, whose sources are never idle).");

    public static final ConfigOption<Duration> SLIDING_WINDOW =
            ConfigOptions.key("chiron.window.sliding")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Length of the sliding per-instance signals, written beside the"
                                    + " tumbling ones (chiron.local.period) and sliding by one"
                                    + " tumbling window; built by merging the tumbling windows'"
                                    + " accumulators, not by a sliding window; 0 turns them off.");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("chiron.source.bounded")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Read the telemetry topics up to their end offsets at start, then"
                                    + " finish (every window fires): for replays and benchmarks.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("chiron.checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Exactly-once checkpoints this often; 0 turns checkpointing off (then"
                                    + " the Kafka sinks deliver at least once).");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            ConfigOptions.key("chiron.restart.attempts")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Restarts after a failure, from the last checkpoint, before the job"
                                    + " gives up (fixed delay of 2 s).");

    public static final ConfigOption<Long> FAIL_ONCE_AFTER_RECORDS =
            ConfigOptions.key("chiron.testing.fail-once-after-records")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Testing only: fail the job once after this many request events, to"
                                    + " exercise recovery; 0 never fails.");

    public static final ConfigOption<Duration> QUEUE_BUCKET =
            ConfigOptions.key("chiron.queue.deadline-bucket")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Width of the deadline buckets that form batch request groups.");

    public static final ConfigOption<String> POLICY =
            ConfigOptions.key("chiron.policy")
                    .stringType()
                    .defaultValue("chiron")
                    .withDescription(
                            "Name recorded in every decision and its id (the job always runs"
                                    + " Chiron's local and global autoscalers; baselines run in the"
                                    + " simulator).");

    public static final ConfigOption<String> PROFILE =
            ConfigOptions.key("chiron.profile")
                    .stringType()
                    .defaultValue("h100-llama3-8b")
                    .withDescription(
                            "GPU profile the policy uses for T(B) and the initial batch size: a"
                                    + " shipped profile name or a CSV path.");

    public static final ConfigOption<Boolean> DRY_RUN =
            ConfigOptions.key("chiron.actuator.dry-run")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Record every actuation, apply none.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("chiron.parallelism")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Parallelism of every operator of the job.");

    private static ConfigOption<String> topic(Topic topic) {
        String key = "chiron.topic." + topic.defaultName().substring("chiron.".length());
        return ConfigOptions.key(key)
                .stringType()
                .defaultValue(topic.defaultName())
                .withDescription("Topic of " + topic.description() + ".");
    }
}
