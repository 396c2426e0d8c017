package io.chiron.sql;

import io.chiron.embedded.EmbeddedKafka;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.AvroCodec;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;
import io.chiron.records.ScalingDecision;
import io.chiron.records.TestRecords;
import io.chiron.records.Topic;

import org.apache.flink.types.Row;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every query file of {@code sql/} against known records on an embedded Kafka broker, through the
 * preloaded DDL and a real batch TableEnvironment; the answers are worked out from the records
 * below.
 */
class SqlFilesITCase {
    private static final Path SQL_DIR = Path.of("").toAbsolutePath().resolve(".").normalize();
    private static final long T = 1_750_000_000_000L; // a whole minute
    private static final String M = "llama-3-8b";

    private static EmbeddedKafka kafka;
    private static SqlSession session;

    @BeforeAll
    static void fill() throws Exception {
        kafka = EmbeddedKafka.start(1);
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 1);
        }
        kafka.createTopics(topics);
        try (var producer =
                new KafkaProducer<byte[], byte[]>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            List<InstanceSignal> signals = new ArrayList<>();
            // i1: interactive, ITL p99 80 ms over its 50 ms bound in one window, 2 misses.
            signals.add(signal("i1", InstanceRole.INTERACTIVE, 600_000, 5_000, 80, 10, 8));
            signals.add(signal("i1", InstanceRole.INTERACTIVE, 605_000, 5_000, 30, 10, 10));
            // i2: within its bounds in its tumbling windows; its sliding window breaks the bound,
            // and sliding windows are not the view's.
            signals.add(signal("i2", InstanceRole.INTERACTIVE, 600_000, 5_000, 20, 4, 4));
            signals.add(signal("i2", InstanceRole.INTERACTIVE, 605_000, 30_000, 90, 4, 4));
            // i3: mixed, 1 interactive miss only.
            signals.add(signal("i3", InstanceRole.MIXED, 605_000, 5_000, 40, 5, 4));
            // i4: violated 10 minutes before the newest window: outside the last 5 minutes.
            signals.add(signal("i4", InstanceRole.BATCH, 0, 5_000, 900, 0, 0));
            send(producer, Topic.INSTANCE_SIGNALS, signals);

            send(
                    producer,
                    Topic.POOL_SIGNALS,
                    List.of(
                            pool(60_000, List.of(group(RequestClass.BATCH, 3_600_000, 999, 1))),
                            pool(
                                    120_000,
                                    List.of(
                                            group(RequestClass.BATCH, 1_800_000, 1_000_000, 40),
                                            group(RequestClass.INTERACTIVE, 5_000, 130_000, 3)))));

            List<InstanceHeartbeat> heartbeats = new ArrayList<>();
            for (int s = 0; s < 120; s++) {
                heartbeats.add(heartbeat("h1", InstanceRole.INTERACTIVE, InstanceState.RUNNING, s));
            }
            for (int s = 0; s < 60; s++) {
                heartbeats.add(heartbeat("h2", InstanceRole.BATCH, InstanceState.PROVISIONING, s));
            }
            heartbeats.add(heartbeat("h2", InstanceRole.BATCH, InstanceState.STOPPED, 61));
            send(producer, Topic.HEARTBEATS, heartbeats);

            send(
                    producer,
                    Topic.DECISIONS,
                    List.of(
                            decision("d-old", 0, InstanceRole.BATCH, 2, 3, "too old"),
                            decision("d1", 3_600_000, InstanceRole.BATCH, 3, 5, "slack negative"),
                            decision("d2", 3_700_000, InstanceRole.MIXED, 4, 1, "idle")));
            send(
                    producer,
                    Topic.ACTUATIONS,
                    List.of(
                            actuation("d1", ActuationStatus.APPLIED, "within bounds"),
                            actuation("d2", ActuationStatus.REJECTED, "scale-in on stale")));

            send(
                    producer,
                    Topic.REQUESTS,
                    List.of(
                            request("r1", RequestEventType.FINISHED, 12_000),
                            request("r2", RequestEventType.FINISHED, 300),
                            request("r3", RequestEventType.DROPPED, 45_000),
                            // Still running: not an outcome.
                            request("r4", RequestEventType.STARTED, 99_000)));
            producer.flush();
        }
        session = SqlSession.open(kafka.bootstrapServers(), false, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (session != null) {
            session.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The query files: the .sql files of sql/, outside ddl/. */
    static List<Path> queryFiles() throws IOException {
        try (Stream<Path> files = Files.list(SQL_DIR)) {
            return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
        }
    }

    private static List<Row> runFile(String name) throws Exception {
        List<String> statements = SqlScripts.split(Files.readString(SQL_DIR.resolve(name)));
        assertThat(statements).as(name).hasSize(1);
        return session.rows(statements.get(0));
    }

    private static List<String> column(List<Row> rows, String name) {
        return rows.stream().map(r -> String.valueOf(r.getField(name))).toList();
    }

    @Test
    void everyQueryFileIsCheckedHere() throws IOException {
        assertThat(queryFiles().stream().map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder(
                        "slo-violations.sql",
                        "utilization-by-pool.sql",
                        "queue-by-group.sql",
                        "decisions-last-hour.sql",
                        "gpu-minutes-by-pool.sql",
                        "longest-waits.sql");
    }

    @Test
    void sloViolationsAreTheInstancesThatBrokeABoundInTheLastFiveMinutes() throws Exception {
        List<Row> rows = runFile("slo-violations.sql");
        assertThat(column(rows, "instance_id")).containsExactly("i1", "i3");
        Row i1 = rows.get(0);
        assertThat(i1.getField("interactive_misses")).isEqualTo(2);
        assertThat(i1.getField("itl_violations")).isEqualTo(1);
        assertThat(((Number) i1.getField("worst_itl_p99_ms")).doubleValue()).isEqualTo(80.0);
        assertThat(rows.get(1).getField("role")).isEqualTo("MIXED");
    }

    @Test
    void utilizationIsPerMinutePoolAndRole() throws Exception {
        List<Row> rows = runFile("utilization-by-pool.sql");
        // Tumbling windows ending in minute 0 (i4) and minute 10 (i1, i2, i3).
        assertThat(rows)
                .extracting(r -> r.getField("role") + "@" + r.getField("instances"))
                .containsExactly("BATCH@1", "INTERACTIVE@2", "MIXED@1");
        Row interactive = rows.get(1);
        // running_mean 4 of batch_cap 8 on every signal.
        assertThat(((Number) interactive.getField("batch_utilization")).doubleValue())
                .isEqualTo(0.5);
        // 3 tumbling windows of 1,000 output tokens in the minute.
        assertThat(((Number) interactive.getField("output_tokens_per_s")).doubleValue())
                .isEqualTo(50.0);
    }

    @Test
    void theQueueIsTheNewestWindowsGroupsMostUrgentFirst() throws Exception {
        List<Row> rows = runFile("queue-by-group.sql");
        assertThat(column(rows, "request_class")).containsExactly("INTERACTIVE", "BATCH");
        assertThat(column(rows, "requests")).containsExactly("3", "40");
        assertThat(column(rows, "seconds_left")).containsExactly("10", "880");
    }

    @Test
    void decisionsOfTheLastHourCarryTheirReasonAndOutcome() throws Exception {
        List<Row> rows = runFile("decisions-last-hour.sql");
        assertThat(column(rows, "applies_to")).containsExactly("MIXED", "BATCH");
        assertThat(column(rows, "reason")).containsExactly("idle", "slack negative");
        assertThat(column(rows, "actuation")).containsExactly("REJECTED", "APPLIED");
        assertThat(column(rows, "actuation_reason"))
                .containsExactly("scale-in on stale", "within bounds");
    }

    @Test
    void gpuMinutesCountEveryHeartbeatButTheLast() throws Exception {
        List<Row> rows = runFile("gpu-minutes-by-pool.sql");
        Map<String, Double> minutes =
                rows.stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.getField("role") + "/" + r.getField("state"),
                                        r -> ((Number) r.getField("gpu_minutes")).doubleValue()));
        assertThat(minutes)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "INTERACTIVE/RUNNING", 2.0,
                                "BATCH/PROVISIONING", 1.0,
                                "null/null", 3.0));
    }

    @Test
    void longestWaitsAreOutcomesLongestFirst() throws Exception {
        List<Row> rows = runFile("longest-waits.sql");
        assertThat(column(rows, "request_id")).containsExactly("r3", "r1", "r2");
        assertThat(column(rows, "outcome")).containsExactly("DROPPED", "FINISHED", "FINISHED");
        assertThat(((Number) rows.get(0).getField("waited_s")).doubleValue()).isEqualTo(45.0);
    }

    @Test
    void everyTableReadsItsTopicAndEnumsReadAsSymbols() throws Exception {
        assertThat(session.rows("SELECT COUNT(*) FROM commands").get(0).getField(0)).isEqualTo(0L);
        assertThat(session.rows("SELECT COUNT(*) FROM dead_letters").get(0).getField(0))
                .isEqualTo(0L);
        assertThat(column(session.rows("SELECT `type` FROM requests"), "type"))
                .containsExactly("FINISHED", "FINISHED", "DROPPED", "STARTED");
    }

    @Test
    void aTableOutOfStepWithItsSchemaFailsNamingTheColumn() {
        session.tableEnvironment()
                .executeSql(
                        "CREATE TEMPORARY TABLE wrong (instance_id STRING, running_mean INT) WITH"
                                + " ('connector' = 'kafka', 'topic' = 'chiron.instance-signals',"
                                + " 'properties.bootstrap.servers' = '"
                                + kafka.bootstrapServers()
                                + "', 'scan.startup.mode' = 'earliest-offset',"
                                + " 'scan.bounded.mode' = 'latest-offset',"
                                + " 'format' = 'chiron-avro', 'chiron-avro.record' ="
                                + " 'InstanceSignal')");
        assertThatThrownBy(() -> session.rows("SELECT * FROM wrong"))
                .hasMessageContaining("column 'running_mean' of type INT")
                .hasMessageContaining("declare it DOUBLE");
    }

    // ---- known records ----

    private static <T extends SpecificRecord> void send(
            KafkaProducer<byte[], byte[]> producer, Topic topic, List<T> records) {
        @SuppressWarnings("unchecked")
        AvroCodec<T> codec = AvroCodec.of((Class<T>) records.get(0).getClass());
        for (T r : records) {
            producer.send(new ProducerRecord<>(topic.defaultName(), codec.encode(r)));
        }
    }

    private static InstanceSignal signal(
            String id,
            InstanceRole role,
            long endOffsetMs,
            long lengthMs,
            double itlP99,
            int completionsInteractive,
            int metInteractive) {
        return TestRecords.instanceSignal(id, T + endOffsetMs - lengthMs, T + endOffsetMs)
                .setModel(M)
                .setRole(role)
                .setBatchCap(8)
                .setRunningMean(4)
                .setRunningMax(6)
                .setRunningInteractive(2)
                .setRunningBatch(2)
                .setKvUtilMean(0.25)
                .setItlSloMs(50)
                .setItlP50Ms(itlP99 / 2)
                .setItlP95Ms(itlP99 * 0.9)
                .setItlP99Ms(itlP99)
                .setDecodeSteps(100)
                .setOutputTokens(1_000)
                .setOutputTokensPerS(200)
                .setPrefillTokens(500)
                .setStarted(3)
                .setCompletions(completionsInteractive)
                .setCompletionsInteractive(completionsInteractive)
                .setSloMetInteractive(metInteractive)
                .setQueueWaitP95Ms(10)
                .setTtftP50Ms(100)
                .setTtftP95Ms(200)
                .setTtftP99Ms(300)
                .build();
    }

    private static QueueGroup group(
            RequestClass c, long sloBucketMs, long deadlineOffsetMs, long requests) {
        return QueueGroup.newBuilder()
                .setRequestClass(c)
                .setSloBucketMs(sloBucketMs)
                .setEarliestDeadlineTsMs(T + deadlineOffsetMs)
                .setRequests(requests)
                .setPromptTokens(requests * 1_000)
                .build();
    }

    private static PoolSignal pool(long endOffsetMs, List<QueueGroup> groups) {
        PoolSignal.Builder b = PoolSignal.newBuilder();
        b.setModel(M)
                .setWindowStartMs(T + endOffsetMs - 5_000)
                .setWindowEndMs(T + endOffsetMs)
                .setInstancesInteractive(2)
                .setInstancesMixed(1)
                .setInstancesBatch(1)
                .setProvisioningInteractive(0)
                .setProvisioningMixed(0)
                .setProvisioningBatch(0)
                .setDraining(0)
                .setStaleInstances(0)
                .setBatchCapInteractive(16)
                .setBatchCapMixed(8)
                .setBatchCapBatch(8)
                .setRunningInteractive(6)
                .setRunningBatch(2)
                .setOutputTokensPerS(800)
                .setDecodeTokensPerSPerInstance(200)
                .setBatchCapMean(8)
                .setArrivalsInteractive(10)
                .setArrivalsBatch(5)
                .setQueueInteractive(
                        groups.stream()
                                .filter(g -> g.getRequestClass() == RequestClass.INTERACTIVE)
                                .mapToLong(QueueGroup::getRequests)
                                .sum())
                .setQueueBatch(
                        groups.stream()
                                .filter(g -> g.getRequestClass() == RequestClass.BATCH)
                                .mapToLong(QueueGroup::getRequests)
                                .sum())
                .setQueueGroups(groups)
                .setOutputTokensMean(200)
                .setOutputTokensStd(50)
                .setPromptTokensMean(1_000)
                .setItlP95Ms(30)
                .setTtftP95Ms(400)
                .setCompletionsInteractive(10)
                .setSloMetInteractive(10)
                .setCompletionsBatch(2)
                .setSloMetBatch(2)
                .setArrivalPromptTokensInteractive(10_000);
        return b.build();
    }

    private static InstanceHeartbeat heartbeat(
            String id, InstanceRole role, InstanceState state, int second) {
        return InstanceHeartbeat.newBuilder()
                .setInstanceId(id)
                .setModel(M)
                .setRole(role)
                .setState(state)
                .setTsMs(T + second * 1_000L)
                .setIntervalMs(1_000)
                .setBatchCap(8)
                .setRunning(2)
                .setRunningInteractive(1)
                .setRunningBatch(1)
                .setSwapped(0)
                .setKvUsedTokens(1_000)
                .setKvCapacityTokens(100_000)
                .setDecodeSteps(50)
                .setItlMeanMs(20)
                .setItlMaxMs(40)
                .setItlSloMs(50)
                .setOutputTokens(100)
                .setPrefillTokens(1_000)
                .setStartedTsMs(T)
                .build();
    }

    private static ScalingDecision decision(
            String id, long offsetMs, InstanceRole role, int previous, int target, String reason) {
        return ScalingDecision.newBuilder()
                .setDecisionId(id)
                .setTsMs(T + offsetMs)
                .setPolicy("chiron")
                .setModel(M)
                .setAction(DecisionAction.SET_REPLICAS)
                .setInstanceId(null)
                .setRole(role)
                .setTarget(target)
                .setPrevious(previous)
                .setReason(reason)
                .setInputs(Map.of("queue_batch", 40.0))
                .build();
    }

    private static ActuationResult actuation(
            String decisionId, ActuationStatus status, String reason) {
        return ActuationResult.newBuilder()
                .setDecisionId(decisionId)
                .setCommandId(null)
                .setTsMs(T)
                .setActuatedAtMs(T)
                .setModel(M)
                .setBackend("kafka")
                .setStatus(status)
                .setReason(reason)
                .build();
    }

    private static RequestEvent request(String id, RequestEventType type, long queueWaitMs) {
        return RequestEvent.newBuilder()
                .setType(type)
                .setRequestId(id)
                .setModel(M)
                .setRequestClass(RequestClass.BATCH)
                .setInstanceId("i1")
                .setInstanceRole(InstanceRole.BATCH)
                .setTsMs(T + 200_000)
                .setArrivalTsMs(T)
                .setDeadlineTsMs(T + 3_600_000)
                .setSloTtftMs(10_000)
                .setSloItlMs(500)
                .setPromptTokens(1_000)
                .setOutputTokens(200)
                .setQueueWaitMs(queueWaitMs)
                .setTtftMs(type == RequestEventType.DROPPED ? null : queueWaitMs + 100)
                .setItlMeanMs(type == RequestEventType.DROPPED ? null : 20.0)
                .setPreemptions(0)
                .setSloMet(type == RequestEventType.FINISHED ? Boolean.TRUE : null)
                .setDropReason(type == RequestEventType.DROPPED ? "deadline passed" : null)
                .build();
    }
}
