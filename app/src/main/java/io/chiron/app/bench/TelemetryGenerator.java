package io.chiron.app.bench;

import io.chiron.records.AvroSerializer;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Synthetic fleet telemetry, one second at a time: a heartbeat per instance per second and request
 * events (started and finished on the instances, and batch arrivals in the global queue spread over
 * {@code groups} deadline buckets). A share of the instances can be replaced by new ones every five
 * seconds, as a fleet that scales does: each new instance earns an initial batch-size decision,
 * which gives the latency benchmark a steady stream of decisions to time.
 */
final class TelemetryGenerator implements AutoCloseable {
    private final int instances;
    private final int requestsPerInstance;
    private final int groups;
    private final long bucketMs;
    private final int churnPerFiveSeconds;
    private final int[] generation;
    private final SplittableRandom random;
    private final KafkaProducer<String, RequestEvent> requests;
    private final KafkaProducer<String, InstanceHeartbeat> heartbeats;
    private final String requestTopic;
    private final String heartbeatTopic;
    private final RequestEvent.Builder event =
            RequestEvent.newBuilder()
                    .setModel("llama3-8b")
                    .setInstanceRole(InstanceRole.MIXED)
                    .setSloTtftMs(2000)
                    .setSloItlMs(50)
                    .setPreemptions(0)
                    .setDropReason(null);
    private final InstanceHeartbeat.Builder heartbeat =
            InstanceHeartbeat.newBuilder()
                    .setModel("llama3-8b")
                    .setRole(InstanceRole.MIXED)
                    .setState(InstanceState.RUNNING)
                    .setIntervalMs(1000)
                    .setBatchCap(8)
                    .setRunningBatch(0)
                    .setSwapped(0)
                    .setKvCapacityTokens(400_000)
                    .setItlSloMs(50)
                    .setPrefillTokens(2_000)
                    .setStartedTsMs(0);
    private int churnCursor;
    private long requestSeq;
    private long sent;

    TelemetryGenerator(
            String bootstrap,
            String requestTopic,
            String heartbeatTopic,
            int instances,
            int requestsPerInstance,
            int groups,
            long bucketMs,
            double churnShare,
            long seed) {
        this.instances = instances;
        this.requestsPerInstance = requestsPerInstance;
        this.groups = groups;
        this.bucketMs = bucketMs;
        this.churnPerFiveSeconds = (int) Math.round(instances * churnShare);
        this.generation = new int[instances];
        this.random = new SplittableRandom(seed);
        this.requestTopic = requestTopic;
        this.heartbeatTopic = heartbeatTopic;
        Map<String, Object> config =
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        256 * 1024,
                        ProducerConfig.ACKS_CONFIG,
                        "1");
        this.requests =
                new KafkaProducer<>(
                        config, new StringSerializer(), new AvroSerializer<>(RequestEvent.class));
        this.heartbeats =
                new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        new AvroSerializer<>(InstanceHeartbeat.class));
    }

    /** Records per generated second. */
    long recordsPerSecond() {
        return (long) instances * (1 + requestsPerInstance) + Math.min(groups, instances);
    }

    long sent() {
        return sent;
    }

    /** Waits until a record of event time {@code tsMs} may be sent (live load), or not at all. */
    @FunctionalInterface
    interface Pacer {
        void await(long tsMs) throws InterruptedException;
    }

    /**
     * Sends the telemetry of the second that starts at {@code secondMs}, in event-time order, each
     * instance's records once {@code pacer} allows their time.
     */
    void second(long secondMs, Pacer pacer) throws InterruptedException {
        if (secondMs % 5_000 == 0) {
            for (int k = 0; k < churnPerFiveSeconds; k++) {
                generation[churnCursor++ % instances]++;
            }
        }
        int arrivals = Math.min(groups, instances);
        int arrivalEvery = arrivals == 0 ? Integer.MAX_VALUE : instances / arrivals;
        for (int i = 0; i < instances; i++) {
            long ts = secondMs + i * 1000L / instances;
            pacer.await(ts);
            if (i % arrivalEvery == 0 && i / arrivalEvery < arrivals) {
                long deadline =
                        secondMs + 3_600_000 + (requestSeq % Math.max(1, groups)) * bucketMs;
                send(
                        event.setType(RequestEventType.ARRIVED)
                                .setRequestId("r" + requestSeq++)
                                .setRequestClass(RequestClass.BATCH)
                                .setInstanceId(null)
                                .setInstanceRole(null)
                                .setTsMs(ts)
                                .setArrivalTsMs(ts)
                                .setDeadlineTsMs(deadline)
                                .setPromptTokens(500 + random.nextInt(1500))
                                .setOutputTokens(0)
                                .setQueueWaitMs(0)
                                .setTtftMs(null)
                                .setItlMeanMs(null)
                                .setSloMet(null)
                                .build(),
                        null);
            }
            String id = "i-" + i + "-" + generation[i];
            int running = 2 + random.nextInt(6);
            heartbeats.send(
                    new ProducerRecord<>(
                            heartbeatTopic,
                            null,
                            ts,
                            id,
                            heartbeat
                                    .setInstanceId(id)
                                    .setTsMs(ts)
                                    .setRunning(running)
                                    .setRunningInteractive(running)
                                    .setKvUsedTokens(running * 1_500L)
                                    .setDecodeSteps(40)
                                    .setItlMeanMs(18 + random.nextInt(8))
                                    .setItlMaxMs(30)
                                    .setOutputTokens(40L * running)
                                    .build()));
            sent++;
            for (int r = 0; r < requestsPerInstance; r++) {
                boolean finished = (r & 1) == 1;
                send(
                        event.setType(
                                        finished
                                                ? RequestEventType.FINISHED
                                                : RequestEventType.STARTED)
                                .setRequestId("r" + requestSeq++)
                                .setRequestClass(RequestClass.INTERACTIVE)
                                .setInstanceId(id)
                                .setInstanceRole(InstanceRole.MIXED)
                                .setTsMs(ts)
                                .setArrivalTsMs(ts - 1_500)
                                .setDeadlineTsMs(null)
                                .setPromptTokens(200 + random.nextInt(2000))
                                .setOutputTokens(finished ? 10 + random.nextInt(400) : 0)
                                .setQueueWaitMs(random.nextInt(500))
                                .setTtftMs(finished ? (long) random.nextInt(1500) : null)
                                .setItlMeanMs(finished ? 20.0 + random.nextInt(20) : null)
                                .setSloMet(finished ? random.nextInt(10) > 0 : null)
                                .build(),
                        id);
            }
        }
    }

    private void send(RequestEvent e, String key) {
        requests.send(new ProducerRecord<>(requestTopic, null, e.getTsMs(), key, e));
        sent++;
    }

    void flush() {
        requests.flush();
        heartbeats.flush();
    }

    @Override
    public void close() {
        requests.close();
        heartbeats.close();
    }
}
