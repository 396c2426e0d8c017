package io.chiron.app.bench;

import io.chiron.app.demo.TopicReader;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.AvroCodec;
import io.chiron.records.AvroSerializer;
import io.chiron.records.InstanceRole;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Throughput of the telemetry job against the raw limit of this machine, on one topic of request
 * events: a plain KafkaConsumer decoding every record with Avro (1 and 2 threads), and the job
 * itself, unchanged, bounded to the same records (parallelism 1 and 2); beside it the floor, the
 * job's Kafka source and decoding with nothing after them. The job's rate counts its processing
 * only: its runtime on the records less its runtime on an empty topic, measured in the same run.
 */
public final class PipelineBench {
    /** One measured figure. */
    public record Rate(String what, int parallelism, long records, double seconds) {
        public double perSecond() {
            return records / seconds;
        }
    }

    /** What the floor's rates are called: Flink's Kafka source and the job's decoding alone. */
    public static final String SOURCE_FLOOR = "source floor";

    private PipelineBench() {}

    /** Request events of {@code instances} instances, 2,000 per simulated second, 2 partitions. */
    public static void produce(
            String bootstrap, String topic, long records, int instances, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long t0 = 1_767_225_600_000L; // 2026-01-01
        try (var producer =
                new KafkaProducer<>(
                        Map.<String, Object>of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ProducerConfig.LINGER_MS_CONFIG,
                                20,
                                ProducerConfig.BATCH_SIZE_CONFIG,
                                256 * 1024,
                                ProducerConfig.ACKS_CONFIG,
                                "1"),
                        new StringSerializer(),
                        new AvroSerializer<>(RequestEvent.class))) {
            RequestEvent.Builder b = eventTemplate();
            for (long i = 0; i < records; i++) {
                RequestEvent e = event(b, random, i, t0, instances);
                long ts = e.getTsMs();
                String instance = e.getInstanceId();
                producer.send(new ProducerRecord<>(topic, null, ts, instance, e));
            }
        }
    }

    /** The fields every benchmark request event shares. */
    static RequestEvent.Builder eventTemplate() {
        return RequestEvent.newBuilder()
                .setModel("llama3-8b")
                .setInstanceRole(InstanceRole.MIXED)
                .setSloTtftMs(2000)
                .setSloItlMs(50)
                .setQueueWaitMs(0)
                .setPreemptions(0)
                .setDeadlineTsMs(null)
                .setDropReason(null);
    }

    /**
     * Request event {@code i}: started and finished alternately, on one of {@code instances}, a
     * fifth of them batch, within a second of {@code t0 + i / 2} ms.
     */
    static RequestEvent event(
            RequestEvent.Builder b, SplittableRandom random, long i, long t0, int instances) {
        long ts = t0 + i / 2 + random.nextInt(1000);
        String instance = "i-" + random.nextInt(instances);
        boolean finished = (i & 1) == 1;
        return b.setType(finished ? RequestEventType.FINISHED : RequestEventType.STARTED)
                .setRequestId("r" + i)
                .setRequestClass(
                        random.nextInt(5) == 0 ? RequestClass.BATCH : RequestClass.INTERACTIVE)
                .setInstanceId(instance)
                .setTsMs(ts)
                .setArrivalTsMs(ts - 2_000)
                .setPromptTokens(200 + random.nextInt(2000))
                .setOutputTokens(finished ? 10 + random.nextInt(400) : 0)
                .setQueueWaitMs(random.nextInt(500))
                .setTtftMs(finished ? (long) random.nextInt(1500) : null)
                .setItlMeanMs(finished ? 20.0 + random.nextInt(20) : null)
                .setSloMet(finished ? random.nextInt(10) > 0 : null)
                .build();
    }

    /** Reads the whole topic with {@code threads} consumers, decoding every record. */
    public static Rate rawConsume(String bootstrap, String topic, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (var admin =
                new KafkaConsumer<byte[], byte[]>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            List<TopicPartition> all = TopicReader.partitions(admin, topic);
            long start = System.nanoTime();
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<TopicPartition> mine = new ArrayList<>();
                for (int k = t; k < all.size(); k += threads) {
                    mine.add(all.get(k));
                }
                counts.add(pool.submit(() -> consume(bootstrap, mine)));
            }
            long total = 0;
            for (Future<Long> f : counts) {
                total += f.get();
            }
            return new Rate(
                    "raw consume + decode", threads, total, (System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long consume(String bootstrap, List<TopicPartition> partitions) {
        AvroCodec<RequestEvent> codec = AvroCodec.of(RequestEvent.class);
        long n = 0;
        try (var consumer =
                new KafkaConsumer<byte[], byte[]>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                2000),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    codec.decode(r.value());
                    n++;
                }
            }
        }
        return n;
    }

    /** The job, bounded to the topics as they are, at {@code parallelism}; its net runtime. */
    public static double jobSeconds(
            EmbeddedStack stack, String requests, String heartbeats, int parallelism)
            throws Exception {
        return jobSeconds(stack, requests, heartbeats, parallelism, false);
    }

    /**
     * @param sourceOnly run the job's request source and decoding alone ({@link
     *     ChironJob#wireSourceOnly}): the floor of any job on Flink's Kafka source
     */
    private static double jobSeconds(
            EmbeddedStack stack,
            String requests,
            String heartbeats,
            int parallelism,
            boolean sourceOnly)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
        conf.set(JobOptions.REQUESTS_TOPIC, requests);
        conf.set(JobOptions.HEARTBEATS_TOPIC, heartbeats);
        conf.set(JobOptions.PARALLELISM, parallelism);
        conf.set(JobOptions.BOUNDED, true);
        conf.set(JobOptions.IDLENESS, Duration.ZERO);
        conf.set(JobOptions.DRY_RUN, true);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ZERO);
        conf.set(JobOptions.GROUP_ID, "bench-" + System.nanoTime());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (sourceOnly) {
            ChironJob.wireSourceOnly(env, conf);
        } else {
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
        }
        JobID job = stack.flink().submit(env, "chiron-bench");
        var result = stack.flink().result(job).get();
        if (!result.isSuccess()) {
            throw new IllegalStateException(
                    "benchmark job failed", result.getSerializedThrowable().orElse(null));
        }
        return result.getNetRuntime() / 1000.0;
    }

    /**
     * Runs the pipeline benchmark on an embedded stack, {@code repeats} rounds of both sides
     * interleaved (so that drift in the machine's speed affects them alike); reports each figure as
     * it comes and returns them all.
     */
    public static List<Rate> run(long records, int repeats, Consumer<String> progress)
            throws Exception {
        String requests = "bench.requests";
        String empty = "bench.empty";
        Map<String, Integer> topics = new java.util.LinkedHashMap<>();
        topics.put(requests, 2);
        topics.put(empty, 2);
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 2);
        }
        List<Rate> rates = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(2, topics)) {
            progress.accept(String.format("producing %,d request events...", records));
            produce(stack.bootstrapServers(), requests, records, 1_000, 1);
            for (int round = 1; round <= repeats; round++) {
                for (int threads : new int[] {1, 2}) {
                    Rate r = rawConsume(stack.bootstrapServers(), requests, threads);
                    rates.add(r);
                    progress.accept(
                            String.format(
                                    "round %d: raw consume + decode, %d thread(s): %,.0f records/s",
                                    round, threads, r.perSecond()));
                }
                for (int p : new int[] {1, 2}) {
                    for (boolean sourceOnly : new boolean[] {false, true}) {
                        double overhead = jobSeconds(stack, empty, empty, p, sourceOnly);
                        long deadBefore = deadLetters(stack.bootstrapServers());
                        double total = jobSeconds(stack, requests, empty, p, sourceOnly);
                        long dead = deadLetters(stack.bootstrapServers()) - deadBefore;
                        Rate r =
                                new Rate(
                                        sourceOnly ? SOURCE_FLOOR : "telemetry job",
                                        p,
                                        records,
                                        Math.max(1e-3, total - overhead));
                        rates.add(r);
                        progress.accept(
                                String.format(
                                        "round %d: %s at parallelism %d: %,.0f records/s (%.1f s,"
                                                + " less %.1f s of start and stop; %,d dead"
                                                + " letters)",
                                        round,
                                        sourceOnly ? "source + decode alone" : "job",
                                        p,
                                        r.perSecond(),
                                        total,
                                        overhead,
                                        dead));
                    }
                }
            }
        }
        return rates;
    }

    /**
     * Records on the dead-letter topic: the benchmark's events are all valid, so any the job adds
     * are records it judged late (the benchmark job writes without transactions, so the end offsets
     * count them exactly).
     */
    private static long deadLetters(String bootstrap) {
        String topic = Topic.DEAD_LETTERS.defaultName();
        try (var consumer =
                new KafkaConsumer<byte[], byte[]>(
                        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            return consumer.endOffsets(TopicReader.partitions(consumer, topic)).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }
}
