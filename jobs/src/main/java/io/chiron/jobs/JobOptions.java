package io.chiron.jobs;

import io.chiron.core.Setting;
import io.chiron.core.Settings;
import io.chiron.jobs.functions.DecodingDeserializer;
import io.chiron.jobs.functions.EventTimeGuard;
import io.chiron.jobs.functions.Validation;
import io.chiron.policy.signals.PoolBook;
import io.chiron.records.Topic;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.util.Map;

/** Typed options of the Chiron job: where it reads and writes, and how it treats time. */
public final class JobOptions {
    private JobOptions() {}

    /** Declared first: every option below registers its setting here. */
    static final FlinkSettings OPTIONS = new FlinkSettings();

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            OPTIONS.add(
                    Setting.text(
                            "chiron.kafka.bootstrap-servers",
                            "localhost:9092",
                            "Kafka bootstrap servers of every topic the job reads or writes."));

    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.kafka.properties-file",
                            null,
                            "A Kafka client properties file applied to every source and sink of"
                                    + " the job (security.protocol, sasl.*, ssl.*); ${VAR} in a"
                                    + " value is read from the environment, so secrets stay out of"
                                    + " the command line. Read where the job is built (the client"
                                    + " or, in application mode, the JobManager)."));

    public static final ConfigOption<String> GROUP_ID =
            OPTIONS.add(
                    Setting.text(
                            "chiron.kafka.group-id",
                            "chiron-pipeline",
                            "Consumer group of the job's Kafka sources."));

    public static final ConfigOption<String> REQUESTS_TOPIC = topic(Topic.REQUESTS);
    public static final ConfigOption<String> HEARTBEATS_TOPIC = topic(Topic.HEARTBEATS);
    public static final ConfigOption<String> INSTANCE_SIGNALS_TOPIC = topic(Topic.INSTANCE_SIGNALS);
    public static final ConfigOption<String> POOL_SIGNALS_TOPIC = topic(Topic.POOL_SIGNALS);
    public static final ConfigOption<String> DECISIONS_TOPIC = topic(Topic.DECISIONS);
    public static final ConfigOption<String> COMMANDS_TOPIC = topic(Topic.COMMANDS);
    public static final ConfigOption<String> ACTUATIONS_TOPIC = topic(Topic.ACTUATIONS);
    public static final ConfigOption<String> DEAD_LETTERS_TOPIC = topic(Topic.DEAD_LETTERS);

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.watermark.out-of-orderness",
                                    Duration.ofSeconds(2),
                                    "How far out of event-time order telemetry may arrive and still count.")
                            .between(0, 3_600_000));

    public static final ConfigOption<Duration> IDLENESS =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.watermark.idleness",
                                    Duration.ofSeconds(2),
                                    "A source split without records for this long (wall-clock time) stops"
                                            + " holding back the watermark; 0 turns idleness off (for"
                                            + " replays, whose sources are never idle), and then a"
                                            + " partition without records holds every window back.")
                            .between(0, 3_600_000));

    public static final ConfigOption<Duration> SLIDING_WINDOW =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.window.sliding",
                                    Duration.ofSeconds(30),
                                    "Length of the sliding per-instance signals, written beside the"
                                            + " tumbling ones (chiron.local.period) and sliding by one"
                                            + " tumbling window; built by merging the tumbling windows'"
                                            + " accumulators, not by a sliding window; 0 turns them off.")
                            .between(0, 86_400_000));

    public static final ConfigOption<Boolean> BOUNDED =
            OPTIONS.add(
                    Setting.flag(
                            "chiron.source.bounded",
                            false,
                            "Read the telemetry topics up to their end offsets at start, then"
                                    + " finish (every window fires): for replays and benchmarks."));

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.checkpoint.interval",
                                    Duration.ofSeconds(10),
                                    "Exactly-once checkpoints this often; 0 turns checkpointing off (then"
                                            + " the Kafka sinks deliver at least once).")
                            .between(0, 86_400_000));

    public static final ConfigOption<String> RESTART_STRATEGY =
            OPTIONS.add(
                    Setting.text(
                                    "chiron.restart.strategy",
                                    "exponential-delay",
                                    "How the job restarts after a failure, from the last checkpoint:"
                                            + " exponential-delay (1 s doubling to"
                                            + " chiron.restart.max-backoff, reset after 10 minutes"
                                            + " without a failure, never giving up: a broker outage of"
                                            + " any length is waited out) or fixed-delay (2 s, at most"
                                            + " chiron.restart.attempts times over the job's life).")
                            .oneOf("exponential-delay", "fixed-delay"));

    public static final ConfigOption<Duration> RESTART_MAX_BACKOFF =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.restart.max-backoff",
                                    Duration.ofSeconds(30),
                                    "Longest wait between two restarts of the exponential-delay strategy.")
                            .between(0, 86_400_000)
                            .excluding(true, false));

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.restart.attempts",
                                    10,
                                    "Restarts of the fixed-delay strategy before the job gives up.")
                            .between(0, Integer.MAX_VALUE));

    public static final ConfigOption<Integer> MAX_STRING_LENGTH =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.limits.max-string-length",
                                    Validation.DEFAULT_MAX_STRING_LENGTH,
                                    "Longest request id, instance id, model name or drop reason a"
                                            + " telemetry record may carry, in characters; a longer one"
                                            + " is a dead letter.")
                            .between(16, 1 << 20));

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.limits.max-record-bytes",
                                    DecodingDeserializer.DEFAULT_MAX_RECORD_BYTES,
                                    "Largest telemetry record value decoded, in bytes (a request event"
                                            + " is about 150); a larger one is a dead letter holding its"
                                            + " first this many bytes.")
                            .between(1024, 512 * 1024));

    public static final ConfigOption<Integer> MAX_QUEUE_GROUPS =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.limits.max-queue-groups",
                                    PoolBook.DEFAULT_MAX_GROUPS,
                                    "Most request groups a pool signal carries: beyond it the"
                                            + " latest-deadline batch groups fold into one overflow group"
                                            + " (keyed by its earliest deadline) and the metric"
                                            + " queueGroupsFolded counts them.")
                            .between(2, 100_000));

    public static final ConfigOption<Duration> MAX_CLOCK_SKEW =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.time.max-skew",
                                    Validation.DEFAULT_MAX_CLOCK_SKEW,
                                    "How far a record's event time may lie from its Kafka timestamp; a"
                                            + " record beyond it, or with a Kafka timestamp of 0 or less,"
                                            + " is a dead letter.")
                            .between(0, Double.POSITIVE_INFINITY)
                            .excluding(true, false));

    public static final ConfigOption<Duration> MAX_AHEAD =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.time.max-ahead",
                                    EventTimeGuard.DEFAULT_MAX_AHEAD,
                                    "How far a record's event time may lie ahead of its source's recent"
                                            + " telemetry (the second-latest accepted) before it is a dead"
                                            + " letter; 16 such records in a row are believed (a clock set"
                                            + " forward). With the watermark taken from the second-latest"
                                            + " event time, no single record can make valid telemetry"
                                            + " late.")
                            .between(0, Double.POSITIVE_INFINITY)
                            .excluding(true, false));

    public static final ConfigOption<Long> FAIL_ONCE_AFTER_RECORDS =
            OPTIONS.add(
                    Setting.longInteger(
                                    "chiron.testing.fail-once-after-records",
                                    0L,
                                    "Testing only: fail the job once after this many request events, to"
                                            + " exercise recovery; 0 never fails.")
                            .between(0, Long.MAX_VALUE));

    public static final ConfigOption<Duration> QUEUE_BUCKET =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.queue.deadline-bucket",
                                    Duration.ofMinutes(1),
                                    "Width of the deadline buckets that form batch request groups.")
                            .between(0, Double.POSITIVE_INFINITY)
                            .excluding(true, false));

    public static final ConfigOption<String> POLICY =
            OPTIONS.add(
                    Setting.text(
                            "chiron.policy",
                            "chiron",
                            "Name recorded in every decision and its id (the job always runs"
                                    + " Chiron's local and global autoscalers; baselines run in the"
                                    + " simulator)."));

    public static final ConfigOption<String> PROFILE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.profile",
                            "h100-llama3-8b",
                            "GPU profile the policy uses for T(B) and the initial batch size: a"
                                    + " shipped profile name or a CSV path."));

    public static final ConfigOption<Boolean> DRY_RUN =
            OPTIONS.add(
                    Setting.flag(
                            "chiron.actuator.dry-run",
                            false,
                            "Record every actuation, apply none."));

    public static final ConfigOption<Integer> PARALLELISM =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.parallelism",
                                    1,
                                    "Parallelism of every operator of the job.")
                            .between(1, 1024));

    /** Every setting of the job and its actuator, in the order of docs/configuration.md. */
    public static Settings settings() {
        return OPTIONS.settings().plus(ActuatorOptions.OPTIONS.settings());
    }

    /**
     * The job's configuration from {@code --key value} arguments: its own and the actuator's keys
     * read by their settings, any other key passed to Flink as text.
     *
     * @throws IllegalArgumentException naming the key, the value and what is allowed
     */
    public static Configuration parse(Map<String, String> args) {
        return FlinkSettings.configuration(args, OPTIONS, ActuatorOptions.OPTIONS);
    }

    /**
     * Checks the ranges of the job's and the actuator's options, however they were set: a bad value
     * names the key, the value and what is allowed.
     *
     * @throws IllegalArgumentException on the first value out of range
     */
    public static void validate(Configuration conf) {
        OPTIONS.check(conf);
        ActuatorOptions.OPTIONS.check(conf);
    }

    private static ConfigOption<String> topic(Topic topic) {
        String key = "chiron.topic." + topic.defaultName().substring("chiron.".length());
        return OPTIONS.add(
                Setting.text(key, topic.defaultName(), "Topic of " + topic.description() + "."));
    }
}
