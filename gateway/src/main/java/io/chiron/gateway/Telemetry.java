package io.chiron.gateway;

import io.chiron.records.AvroSerializer;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's telemetry to Kafka, Avro on the wire: request events keyed by instance id (the
 * model while queued), heartbeats keyed by instance id. Sends never block the event loop for long
 * ({@code max.block.ms} is 5 s, and the topics' metadata is fetched before the first request); a
 * record Kafka did not take is counted, not retried by hand.
 */
final class Telemetry implements AutoCloseable {
    private final Producer<String, RequestEvent> requests;
    private final Producer<String, InstanceHeartbeat> heartbeats;
    private final String requestsTopic;
    private final String heartbeatsTopic;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    /**
     * Serializing and handing records to the producer happens here, not on the event loop (it was a
     * fifth of the loop's time); one thread keeps every key's order. Bounded: a record that finds
     * it full is counted as failed.
     */
    private final ThreadPoolExecutor sender =
            new ThreadPoolExecutor(
                    1,
                    1,
                    0,
                    TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(100_000),
                    r -> {
                        Thread t = new Thread(r, "chiron-gateway-telemetry");
                        t.setDaemon(true);
                        return t;
                    },
                    (r, pool) -> failed.incrementAndGet());

    Telemetry(GatewayConfig c) {
        Map<String, Object> conf = new HashMap<>(c.kafkaProperties());
        conf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        conf.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        conf.put(ProducerConfig.CLIENT_ID_CONFIG, "chiron-gateway");
        this.requests = producer(conf, RequestEvent.class);
        this.heartbeats = producer(conf, InstanceHeartbeat.class);
        this.requestsTopic = c.requestsTopic();
        this.heartbeatsTopic = c.heartbeatsTopic();
        // Learn the topics' partitions now, off the event loop; later sends find them cached.
        requests.partitionsFor(requestsTopic);
        heartbeats.partitionsFor(heartbeatsTopic);
    }

    private static <T extends SpecificRecord> Producer<String, T> producer(
            Map<String, Object> conf, Class<T> type) {
        Map<String, Object> c = new HashMap<>(conf);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        return new KafkaProducer<>(c, new StringSerializer(), new AvroSerializer<>(type));
    }

    void request(RequestEvent e) {
        String key = e.getInstanceId() != null ? e.getInstanceId() : e.getModel();
        requests.send(new ProducerRecord<>(requestsTopic, null, e.getTsMs(), key, e), this::acked);
    }

    void heartbeat(InstanceHeartbeat h) {
        heartbeats.send(
                new ProducerRecord<>(heartbeatsTopic, null, h.getTsMs(), h.getInstanceId(), h),
                this::acked);
    }

    private void acked(Object metadata, Exception e) {
        (e == null ? sent : failed).incrementAndGet();
    }

    /** Everything handed over so far is sent and acknowledged. */
    void flush() {
        try {
            sender.submit(() -> {}).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("telemetry did not drain: " + e, e);
        }
        requests.flush();
        heartbeats.flush();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        requests.close();
        heartbeats.close();
    }
}
