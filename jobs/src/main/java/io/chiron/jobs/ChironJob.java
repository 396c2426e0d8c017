package io.chiron.jobs;

import io.chiron.actuator.ActuatorConfig;
import io.chiron.actuator.ActuatorFunction;
import io.chiron.actuator.BackendSink;
import io.chiron.jobs.functions.AvroRecordSerializer;
import io.chiron.jobs.functions.DeadLetterRouter;
import io.chiron.jobs.functions.DecodingDeserializer;
import io.chiron.jobs.functions.EmitInstanceSignal;
import io.chiron.jobs.functions.EmitPoolSignal;
import io.chiron.jobs.functions.EventTimeGuard;
import io.chiron.jobs.functions.FailOnce;
import io.chiron.jobs.functions.GlobalAutoscalerFunction;
import io.chiron.jobs.functions.InstanceAggregate;
import io.chiron.jobs.functions.LateRecords;
import io.chiron.jobs.functions.LocalAutoscalerFunction;
import io.chiron.jobs.functions.PoolAggregate;
import io.chiron.jobs.functions.PreAggregate;
import io.chiron.jobs.functions.RobustWatermarks;
import io.chiron.jobs.functions.SlidingSignals;
import io.chiron.jobs.functions.Validation;
import io.chiron.jobs.records.Decoded;
import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.jobs.types.RecordSerializers;
import io.chiron.jobs.types.StateSerializers;
import io.chiron.kafka.KafkaClientProperties;
import io.chiron.policy.ChironConfig;
import io.chiron.records.ActuationResult;
import io.chiron.records.DeadLetter;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.RequestEvent;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.function.SerializableFunction;

import org.apache.avro.specific.SpecificRecordBase;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;

/**
 * The Chiron pipeline: telemetry analytics (per-instance and per-pool event-time windows) and the
 * autoscaler (the local and global policy of {@code policy/}), with the actuator sink.
 *
 * <p>{@link #build} is the logic, on streams handed in; {@link #wireKafka} adds the production
 * sources and sinks; {@link #main} reads the options and runs it on a Flink cluster.
 */
public final class ChironJob {
    private ChironJob() {}

    /** The streams the pipeline produces. */
    public record Streams(
            DataStream<InstanceSignal> instanceSignals,
            DataStream<InstanceSignal> slidingSignals,
            DataStream<PoolSignal> poolSignals,
            DataStream<ScalingDecision> decisions,
            DataStream<DeadLetter> lateRecords) {}

    static final OutputTag<Telemetry> LATE_TELEMETRY =
            new OutputTag<>("late-telemetry", RecordSerializers.TELEMETRY);
    static final OutputTag<PoolInput> LATE_POOL_INPUT =
            new OutputTag<>("late-pool-input", RecordSerializers.POOL_INPUT);

    /**
     * Builds signals and decisions from telemetry streams that carry event-time timestamps and
     * watermarks.
     */
    public static Streams build(
            DataStream<RequestEvent> requests,
            DataStream<InstanceHeartbeat> heartbeats,
            Configuration conf,
            ChironConfig policy) {
        Duration window = policy.localPeriod;
        int expectedHeartbeats =
                (int) (window.toMillis() / Math.max(1, policy.heartbeatInterval.toMillis()));

        long bucketMs = conf.get(JobOptions.QUEUE_BUCKET).toMillis();
        SingleOutputStreamOperator<Telemetry> partials =
                requests.transform(
                                "pre-aggregate requests",
                                RecordSerializers.TELEMETRY,
                                new PreAggregate(window.toMillis(), bucketMs))
                        .uid("pre-aggregate-requests");
        DataStream<Telemetry> telemetry =
                heartbeats
                        .map(Telemetry::of)
                        .returns(RecordSerializers.TELEMETRY)
                        .name("heartbeat as telemetry")
                        .uid("heartbeat-telemetry")
                        .union(partials);

        SingleOutputStreamOperator<InstanceSignal> instanceSignals =
                telemetry
                        .keyBy(Telemetry::instanceId)
                        .window(TumblingEventTimeWindows.of(window))
                        .sideOutputLateData(LATE_TELEMETRY)
                        .aggregate(
                                new InstanceAggregate(),
                                new EmitInstanceSignal(
                                        !conf.get(JobOptions.SLIDING_WINDOW).isZero()),
                                StateSerializers.INSTANCE_WINDOW,
                                StateSerializers.INSTANCE_WINDOW,
                                new AvroTypeInfo<>(InstanceSignal.class))
                        .name("per-instance windows")
                        .uid("instance-windows");

        SingleOutputStreamOperator<PoolSignal> poolSignals =
                instanceSignals
                        .map(PoolInput::of)
                        .returns(RecordSerializers.POOL_INPUT)
                        .name("signal as pool input")
                        .uid("signal-pool-input")
                        .union(partials.getSideOutput(PreAggregate.POOL_PARTIALS))
                        .keyBy(PoolInput::model)
                        .window(TumblingEventTimeWindows.of(window))
                        .sideOutputLateData(LATE_POOL_INPUT)
                        .aggregate(
                                new PoolAggregate(expectedHeartbeats, bucketMs),
                                new EmitPoolSignal(conf.get(JobOptions.MAX_QUEUE_GROUPS)),
                                StateSerializers.POOL_WINDOW,
                                StateSerializers.POOL_WINDOW,
                                new AvroTypeInfo<>(PoolSignal.class))
                        .name("per-pool windows")
                        .uid("pool-windows");

        String profile = conf.get(JobOptions.PROFILE);
        String policyName = conf.get(JobOptions.POLICY);
        DataStream<ScalingDecision> local =
                instanceSignals
                        .keyBy(InstanceSignal::getInstanceId)
                        .process(new LocalAutoscalerFunction(policy, profile, policyName))
                        .returns(new AvroTypeInfo<>(ScalingDecision.class))
                        .name("local autoscaler")
                        .uid("local-autoscaler");
        DataStream<ScalingDecision> global =
                poolSignals
                        .keyBy(PoolSignal::getModel)
                        .process(new GlobalAutoscalerFunction(policy, profile, policyName))
                        .returns(new AvroTypeInfo<>(ScalingDecision.class))
                        .name("global autoscaler")
                        .uid("global-autoscaler");
        DataStream<DeadLetter> late =
                instanceSignals
                        .getSideOutput(LATE_TELEMETRY)
                        .process(new LateRecords<Telemetry>("telemetry"))
                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                        .name("late telemetry")
                        .uid("late-telemetry")
                        .union(
                                poolSignals
                                        .getSideOutput(LATE_POOL_INPUT)
                                        .process(new LateRecords<PoolInput>("pool input"))
                                        .returns(new AvroTypeInfo<>(DeadLetter.class))
                                        .name("late pool input")
                                        .uid("late-pool-input"));
        Duration sliding = conf.get(JobOptions.SLIDING_WINDOW);
        DataStream<InstanceSignal> slidingSignals =
                sliding.isZero()
                        ? instanceSignals
                                .filter(s -> false)
                                .name("no sliding signals")
                                .uid("no-sliding")
                        : instanceSignals
                                .getSideOutput(EmitInstanceSignal.PANES)
                                .keyBy(p -> p.window.instanceId())
                                .process(new SlidingSignals(sliding.toMillis()))
                                .returns(new AvroTypeInfo<>(InstanceSignal.class))
                                .name("sliding per-instance signals")
                                .uid("sliding-signals");
        return new Streams(instanceSignals, slidingSignals, poolSignals, local.union(global), late);
    }

    /**
     * How long a network buffer waits to fill before it is sent anyway, unless Flink's {@code
     * execution.buffer-timeout.interval} is set. Flink's 100 ms is paid on each of the job's
     * shuffles on the way to a decision (instances, pools, autoscaler); the traffic after the
     * source is windowed partials, so a shorter wait costs flushes of small buffers, not records/s.
     * The measurements: README "Performance".
     */
    static final Duration BUFFER_TIMEOUT = Duration.ofMillis(10);

    /**
     * How often the sources' watermarks are emitted, unless Flink's {@code
     * pipeline.auto-watermark-interval} is set: a window closes when the watermark passes its end,
     * so Flink's 200 ms is paid before every decision. Since the watermarks are kept per partition
     * a shorter interval costs no records/s (README "Performance").
     */
    static final Duration WATERMARK_INTERVAL = Duration.ofMillis(50);

    /** What every wiring does first: the options checked, the parallelism, recovery, latency. */
    private static void configure(StreamExecutionEnvironment env, Configuration conf) {
        JobOptions.validate(conf);
        env.setParallelism(conf.get(JobOptions.PARALLELISM));
        configureRecovery(env, conf);
        if (unset(env, conf, ExecutionOptions.BUFFER_TIMEOUT)) {
            env.setBufferTimeout(BUFFER_TIMEOUT.toMillis());
        }
        if (unset(env, conf, PipelineOptions.AUTO_WATERMARK_INTERVAL)) {
            env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL.toMillis());
        }
    }

    /** Neither the job's arguments nor the cluster's configuration set {@code option}. */
    private static boolean unset(
            StreamExecutionEnvironment env, Configuration conf, ConfigOption<?> option) {
        return conf.getOptional(option).isEmpty()
                && env.getConfiguration().getOptional(option).isEmpty();
    }

    /**
     * The job's request source and its decoding alone, into a sink that discards: what any job
     * reading the topic through Flink's Kafka source pays before its own work. The pipeline
     * benchmark's floor, not a way to run Chiron.
     */
    public static void wireSourceOnly(StreamExecutionEnvironment env, Configuration conf) {
        configure(env, conf);
        decode(
                        env,
                        conf,
                        clientProperties(conf),
                        conf.get(JobOptions.REQUESTS_TOPIC),
                        RequestEvent.class,
                        RequestEvent::getTsMs,
                        "requests")
                .sinkTo(new DiscardingSink<>())
                .name("discard")
                .uid("discard");
    }

    /**
     * The production wiring on {@code env}: Kafka sources with dead-lettering, {@link #build}, the
     * signal and decision topics, and the actuator sink.
     */
    public static Streams wireKafka(
            StreamExecutionEnvironment env, Configuration conf, ChironConfig policy) {
        configure(env, conf);
        String bootstrap = conf.get(JobOptions.BOOTSTRAP_SERVERS);
        Map<String, String> client = clientProperties(conf);
        DeliveryGuarantee delivery =
                conf.get(JobOptions.CHECKPOINT_INTERVAL).isZero()
                        ? DeliveryGuarantee.AT_LEAST_ONCE
                        : DeliveryGuarantee.EXACTLY_ONCE;

        SingleOutputStreamOperator<RequestEvent> requests =
                decode(
                        env,
                        conf,
                        client,
                        conf.get(JobOptions.REQUESTS_TOPIC),
                        RequestEvent.class,
                        RequestEvent::getTsMs,
                        "requests");
        SingleOutputStreamOperator<InstanceHeartbeat> heartbeats =
                decode(
                        env,
                        conf,
                        client,
                        conf.get(JobOptions.HEARTBEATS_TOPIC),
                        InstanceHeartbeat.class,
                        InstanceHeartbeat::getTsMs,
                        "heartbeats");

        long failAfter = conf.get(JobOptions.FAIL_ONCE_AFTER_RECORDS);
        DataStream<RequestEvent> checkedRequests =
                failAfter <= 0
                        ? requests
                        : requests.map(new FailOnce<RequestEvent>(failAfter))
                                .returns(new AvroTypeInfo<>(RequestEvent.class))
                                .name("fail once (testing)")
                                .uid("fail-once");
        Streams streams = build(checkedRequests, heartbeats, conf, policy);

        requests.getSideOutput(DeadLetterRouter.DEAD_LETTERS)
                .union(
                        heartbeats.getSideOutput(DeadLetterRouter.DEAD_LETTERS),
                        streams.lateRecords())
                .sinkTo(
                        sink(
                                client,
                                bootstrap,
                                conf.get(JobOptions.DEAD_LETTERS_TOPIC),
                                DeadLetter.class,
                                DeadLetter::getSourceTopic,
                                delivery))
                .name("dead letters to Kafka")
                .uid("dead-letters-sink");
        streams.instanceSignals()
                .union(streams.slidingSignals())
                .sinkTo(
                        sink(
                                client,
                                bootstrap,
                                conf.get(JobOptions.INSTANCE_SIGNALS_TOPIC),
                                InstanceSignal.class,
                                InstanceSignal::getInstanceId,
                                delivery))
                .name("instance signals to Kafka")
                .uid("instance-signals-sink");
        streams.poolSignals()
                .sinkTo(
                        sink(
                                client,
                                bootstrap,
                                conf.get(JobOptions.POOL_SIGNALS_TOPIC),
                                PoolSignal.class,
                                PoolSignal::getModel,
                                delivery))
                .name("pool signals to Kafka")
                .uid("pool-signals-sink");
        streams.decisions()
                .sinkTo(
                        sink(
                                client,
                                bootstrap,
                                conf.get(JobOptions.DECISIONS_TOPIC),
                                ScalingDecision.class,
                                ScalingDecision::getModel,
                                delivery))
                .name("decisions to Kafka")
                .uid("decisions-sink");
        actuate(
                streams.decisions(),
                ActuatorOptions.from(conf, policy),
                bootstrap,
                client,
                conf,
                delivery);
        return streams;
    }

    /**
     * The actuator: the safety guard keyed by pool, every outcome to the actuations topic, and the
     * commands to their backends (the command topic in the same checkpoints as the outcomes).
     */
    private static void actuate(
            DataStream<ScalingDecision> decisions,
            ActuatorConfig actuator,
            String bootstrap,
            Map<String, String> client,
            Configuration conf,
            DeliveryGuarantee delivery) {
        SingleOutputStreamOperator<FleetCommand> commands =
                decisions
                        .keyBy(ScalingDecision::getModel)
                        .process(new ActuatorFunction(actuator))
                        .returns(new AvroTypeInfo<>(FleetCommand.class))
                        .name("safety guard")
                        .uid("safety-guard");
        commands.getSideOutput(ActuatorFunction.RESULTS)
                .sinkTo(
                        sink(
                                client,
                                bootstrap,
                                conf.get(JobOptions.ACTUATIONS_TOPIC),
                                ActuationResult.class,
                                ActuationResult::getModel,
                                delivery))
                .name("actuations to Kafka")
                .uid("actuations-sink");
        EnumSet<ActuatorConfig.Backend> used = EnumSet.of(actuator.replicas, actuator.batchSize);
        for (ActuatorConfig.Backend backend : used) {
            if (backend == ActuatorConfig.Backend.NONE) {
                continue;
            }
            String name = backend.name().toLowerCase(Locale.ROOT);
            DataStream<FleetCommand> routed =
                    commands.filter(new RoutedTo(actuator, backend))
                            .name("commands for " + name)
                            .uid("route-" + name);
            if (backend == ActuatorConfig.Backend.KAFKA) {
                routed.sinkTo(
                                sink(
                                        client,
                                        bootstrap,
                                        conf.get(JobOptions.COMMANDS_TOPIC),
                                        FleetCommand.class,
                                        FleetCommand::getModel,
                                        delivery))
                        .name("commands to Kafka")
                        .uid("commands-sink");
            } else {
                routed.sinkTo(
                                new BackendSink(
                                        backend,
                                        actuator,
                                        bootstrap,
                                        conf.get(JobOptions.ACTUATIONS_TOPIC),
                                        client))
                        .name("commands to " + name)
                        .uid("commands-" + name)
                        .setParallelism(1);
            }
        }
    }

    /** Keeps the commands whose type goes to one backend. */
    private static final class RoutedTo implements FilterFunction<FleetCommand> {
        private static final long serialVersionUID = 1L;
        private final ActuatorConfig config;
        private final ActuatorConfig.Backend backend;

        RoutedTo(ActuatorConfig config, ActuatorConfig.Backend backend) {
            this.config = config;
            this.backend = backend;
        }

        @Override
        public boolean filter(FleetCommand c) {
            return config.backendOf(c.getType()) == backend;
        }
    }

    private static <T extends SpecificRecordBase> SingleOutputStreamOperator<T> decode(
            StreamExecutionEnvironment env,
            Configuration conf,
            Map<String, String> client,
            String topic,
            Class<T> type,
            SerializableFunction<T, Long> eventTime,
            String name) {
        KafkaSourceBuilder<Decoded<T>> builder =
                KafkaSource.<Decoded<T>>builder()
                        .setBootstrapServers(conf.get(JobOptions.BOOTSTRAP_SERVERS))
                        .setTopics(topic)
                        .setGroupId(conf.get(JobOptions.GROUP_ID))
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(
                                new DecodingDeserializer<>(
                                        type,
                                        new Validation(
                                                conf.get(JobOptions.MAX_STRING_LENGTH),
                                                conf.get(JobOptions.MAX_CLOCK_SKEW)),
                                        new EventTimeGuard(
                                                conf.get(JobOptions.MAX_AHEAD),
                                                EventTimeGuard.DEFAULT_CONFIRM),
                                        conf.get(JobOptions.MAX_RECORD_BYTES)))
                        .setProperty("client.id.prefix", "chiron-" + name);
        client.forEach(builder::setProperty);
        if (conf.get(JobOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        KafkaSource<Decoded<T>> source = builder.build();
        return env.fromSource(source, watermarks(conf, eventTime), name + " from Kafka")
                .uid(name + "-source")
                .process(new DeadLetterRouter<>(type))
                .name("decode " + name)
                .uid(name + "-decode");
    }

    /** The settings of {@link JobOptions#KAFKA_PROPERTIES_FILE}, or none. */
    static Map<String, String> clientProperties(Configuration conf) {
        return conf.getOptional(JobOptions.KAFKA_PROPERTIES_FILE)
                .map(f -> KafkaClientProperties.load(java.nio.file.Path.of(f)))
                .orElse(Map.of());
    }

    /**
     * Event time per Kafka partition, in the source: the record's own time (a dead letter keeps its
     * Kafka timestamp and moves no watermark), the robust watermark of each partition, and the
     * subtask's watermark the least of its partitions' (Flink's per-split watermarks).
     */
    private static <T> WatermarkStrategy<Decoded<T>> watermarks(
            Configuration conf, SerializableFunction<T, Long> eventTime) {
        Duration outOfOrderness = conf.get(JobOptions.OUT_OF_ORDERNESS);
        WatermarkStrategy<Decoded<T>> strategy =
                WatermarkStrategy.<Decoded<T>>forGenerator(
                                c -> RobustWatermarks.ofDecoded(outOfOrderness))
                        .withTimestampAssigner(
                                (d, kafkaTs) ->
                                        d.deadLetter == null ? eventTime.apply(d.value) : kafkaTs);
        Duration idleness = conf.get(JobOptions.IDLENESS);
        return idleness.isZero() ? strategy : strategy.withIdleness(idleness);
    }

    private static <T extends SpecificRecordBase> KafkaSink<T> sink(
            Map<String, String> client,
            String bootstrap,
            String topic,
            Class<T> type,
            SerializableFunction<T, String> key,
            DeliveryGuarantee delivery) {
        java.util.Properties producer = new java.util.Properties();
        producer.putAll(client);
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(new AvroRecordSerializer<>(topic, type, key))
                .setDeliveryGuarantee(delivery)
                // Transactions of one topic's sink share a prefix, unique per topic.
                .setTransactionalIdPrefix("chiron-" + topic)
                // Brokers cap transactions at 15 minutes by default (transaction.max.timeout.ms);
                // the connector's default of an hour would be refused.
                .setProperty(
                        "transaction.timeout.ms", Long.toString(Duration.ofMinutes(15).toMillis()))
                .build();
    }

    /**
     * Exactly-once checkpoints and the restart strategy, from the options; generic (Kryo) types
     * off.
     */
    private static void configureRecovery(StreamExecutionEnvironment env, Configuration conf) {
        Duration interval = conf.get(JobOptions.CHECKPOINT_INTERVAL);
        if (!interval.isZero()) {
            env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        Configuration restart = new Configuration();
        // No Kryo: every type the job ships or keeps has a serializer of its own; fail fast if
        // a generic type sneaks in.
        restart.set(PipelineOptions.GENERIC_TYPES, false);
        // Chained operators hand records on without a defensive copy: no function of the job
        // keeps a reference to a record it has emitted, or changes one it has received.
        restart.set(PipelineOptions.OBJECT_REUSE, true);
        String strategy = conf.get(JobOptions.RESTART_STRATEGY);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, strategy);
        if (strategy.equals("fixed-delay")) {
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
                    conf.get(JobOptions.RESTART_ATTEMPTS));
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofSeconds(2));
        } else {
            // A transient fault of any length is waited out: the budget is never spent, and the
            // backoff starts again from 1 s after ten quiet minutes.
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                    Duration.ofSeconds(1));
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                    conf.get(JobOptions.RESTART_MAX_BACKOFF));
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
                    2.0);
            restart.set(
                    RestartStrategyOptions
                            .RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
                    Duration.ofMinutes(10));
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
            restart.set(
                    RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
                    Integer.MAX_VALUE);
        }
        env.configure(restart);
    }

    /** Runs the job on a Flink cluster: {@code --chiron.kafka.bootstrap-servers host:9092 ...}. */
    public static void main(String[] args) throws Exception {
        Map<String, String> args_ = ParameterTool.fromArgs(args).toMap();
        ChironConfig policy;
        Configuration conf;
        try {
            OptionsDoc.registry().requireKnown(args_.keySet(), "chiron.");
            policy = ChironConfig.defaults().withOverrides(args_);
            conf = JobOptions.parse(args_); // every value given is range-checked here
            io.chiron.kafka.KafkaReachability.check(
                    conf.get(JobOptions.BOOTSTRAP_SERVERS),
                    JobOptions.BOOTSTRAP_SERVERS.key(),
                    clientProperties(conf),
                    io.chiron.kafka.KafkaReachability.DEFAULT_TIMEOUT);
        } catch (IllegalArgumentException e) {
            // A bad option is the user's to fix: one line naming it, exit 2, no stack trace.
            System.err.println("chiron job: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        wireKafka(env, conf, policy);
        env.execute("chiron");
    }
}
