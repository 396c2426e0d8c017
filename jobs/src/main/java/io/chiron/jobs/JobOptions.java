package io.chiron.jobs;

import io.chiron.jobs.functions.DecodeFunction;
import io.chiron.jobs.functions.EventTimeGuard;
import io.chiron.jobs.functions.Validation;
import io.chiron.policy.signals.PoolBook;
import io.chiron.records.Topic;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

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

    public static final ConfigOption<String> RESTART_STRATEGY =
            ConfigOptions.key("chiron.restart.strategy")
                    .stringType()
                    .defaultValue("exponential-delay")
                    .withDescription(
                            "How the job restarts after a failure, from the last checkpoint:"
                                    + " exponential-delay (1 s doubling to"
                                    + " chiron.restart.max-backoff, reset after 10 minutes"
                                    + " without a failure, never giving up: a broker outage of"
                                    + " any length is waited out) or fixed-delay (2 s, at most"
                                    + " chiron.restart.attempts times over the job's life).");

    public static final ConfigOption<Duration> RESTART_MAX_BACKOFF =
            ConfigOptions.key("chiron.restart.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "Longest wait between two restarts of the exponential-delay strategy.");

    public static final ConfigOption<Integer> RESTART_ATTEMPTS =
            ConfigOptions.key("chiron.restart.attempts")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "Restarts of the fixed-delay strategy before the job gives up.");

    public static final ConfigOption<Integer> MAX_STRING_LENGTH =
            ConfigOptions.key("chiron.limits.max-string-length")
                    .intType()
                    .defaultValue(Validation.DEFAULT_MAX_STRING_LENGTH)
                    .withDescription(
                            "Longest request id, instance id, model name or drop reason a"
                                    + " telemetry record may carry, in characters; a longer one"
                                    + " is a dead letter.");

    public static final ConfigOption<Integer> MAX_RECORD_BYTES =
            ConfigOptions.key("chiron.limits.max-record-bytes")
                    .intType()
                    .defaultValue(DecodeFunction.DEFAULT_MAX_RECORD_BYTES)
                    .withDescription(
                            "Largest telemetry record value decoded, in bytes (a request event"
                                    + " is about 150); a larger one is a dead letter holding its"
                                    + " first this many bytes.");

    public static final ConfigOption<Integer> MAX_QUEUE_GROUPS =
            ConfigOptions.key("chiron.limits.max-queue-groups")
                    .intType()
                    .defaultValue(PoolBook.DEFAULT_MAX_GROUPS)
                    .withDescription(
                            "Most request groups a pool signal carries: beyond it the"
                                    + " latest-deadline batch groups fold into one overflow group"
                                    + " (keyed by its earliest deadline) and the metric"
                                    + " queueGroupsFolded counts them.");

    public static final ConfigOption<Duration> MAX_CLOCK_SKEW =
            ConfigOptions.key("chiron.time.max-skew")
                    .durationType()
                    .defaultValue(Validation.DEFAULT_MAX_CLOCK_SKEW)
                    .withDescription(
                            "How far a record's event time may lie from its Kafka timestamp; a"
                                    + " record beyond it, or with a Kafka timestamp of 0 or less,"
                                    + " is a dead letter.");

    public static final ConfigOption<Duration> MAX_AHEAD =
            ConfigOptions.key("chiron.time.max-ahead")
                    .durationType()
                    .defaultValue(EventTimeGuard.DEFAULT_MAX_AHEAD)
                    .withDescription(
                            "How far a record's event time may lie ahead of its source's recent"
                                    + " telemetry (the second-latest accepted) before it is a dead"
                                    + " letter; 16 such records in a row are believed (a clock set"
                                    + " forward). With the watermark taken from the second-latest"
                                    + " event time, no single record can make valid telemetry"
                                    + " late.");

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

    /**
     * Checks the ranges of the job's options: a bad value names the key, the value and what is
     * allowed.
     *
     * @throws IllegalArgumentException on the first value out of range
     */
    public static void validate(Configuration conf) {
        atLeast(conf, PARALLELISM, 1, 1024);
        atLeast(conf, RESTART_ATTEMPTS, 0, Integer.MAX_VALUE);
        atLeast(conf, MAX_STRING_LENGTH, 16, 1 << 20);
        atLeast(conf, MAX_RECORD_BYTES, 1024, 512 * 1024);
        atLeast(conf, MAX_QUEUE_GROUPS, 2, 100_000);
        positive(conf, MAX_CLOCK_SKEW);
        positive(conf, MAX_AHEAD);
        positive(conf, RESTART_MAX_BACKOFF);
        positive(conf, QUEUE_BUCKET);
        String strategy = conf.get(RESTART_STRATEGY);
        if (!strategy.equals("exponential-delay") && !strategy.equals("fixed-delay")) {
            throw new IllegalArgumentException(
                    RESTART_STRATEGY.key()
                            + "="
                            + strategy
                            + ": allowed are exponential-delay and fixed-delay");
        }
    }

    private static void atLeast(Configuration conf, ConfigOption<Integer> o, int min, int max) {
        int v = conf.get(o);
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    o.key() + "=" + v + ": must be in [" + min + ", " + max + "]");
        }
    }

    private static void positive(Configuration conf, ConfigOption<Duration> o) {
        Duration v = conf.get(o);
        if (v.isNegative() || v.isZero()) {
            throw new IllegalArgumentException(o.key() + "=" + v + ": must be more than 0");
        }
    }

    private static ConfigOption<String> topic(Topic topic) {
        String key = "chiron.topic." + topic.defaultName().substring("chiron.".length());
        return ConfigOptions.key(key)
                .stringType()
                .defaultValue(topic.defaultName())
                .withDescription("Topic of " + topic.description() + ".");
    }
}
