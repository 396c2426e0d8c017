package io.chiron.fleet.kafka;

import io.chiron.fleet.sim.TelemetryListener;
import io.chiron.records.AvroSerializer;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes the fleet's telemetry to Kafka as Avro: request events keyed by instance id (the model
 * while a request is in the global queue), heartbeats keyed by instance id.
 */
public final class KafkaTelemetry implements TelemetryListener, AutoCloseable {
    private final KafkaProducer<String, RequestEvent> requests;
    private final KafkaProducer<String, InstanceHeartbeat> heartbeats;
    private final String requestsTopic;
    private final String heartbeatsTopic;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaTelemetry(String bootstrapServers, String requestsTopic, String heartbeatsTopic) {
        this(bootstrapServers, Map.of(), requestsTopic, heartbeatsTopic);
    }

    /**
     * @param clientProperties Kafka client settings of the producers (security.protocol, sasl.*,
     *     ssl.*)
     */
    public KafkaTelemetry(
            String bootstrapServers,
            Map<String, String> clientProperties,
            String requestsTopic,
            String heartbeatsTopic) {
        Map<String, Object> config = new java.util.HashMap<>(clientProperties);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "chiron-fleet-telemetry");
        this.requests =
                new KafkaProducer<>(
                        config, new StringSerializer(), new AvroSerializer<>(RequestEvent.class));
        this.heartbeats =
                new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        new AvroSerializer<>(InstanceHeartbeat.class));
        this.requestsTopic = requestsTopic;
        this.heartbeatsTopic = heartbeatsTopic;
    }

    @Override
    public void request(RequestEvent event) {
        String key = event.getInstanceId() != null ? event.getInstanceId() : event.getModel();
        requests.send(
                new ProducerRecord<>(requestsTopic, null, event.getTsMs(), key, event), this::sent);
    }

    @Override
    public void heartbeat(InstanceHeartbeat hb) {
        heartbeats.send(
                new ProducerRecord<>(heartbeatsTopic, null, hb.getTsMs(), hb.getInstanceId(), hb),
                this::sent);
    }

    private void sent(Object metadata, Exception e) {
        if (e != null) {
            failure.compareAndSet(null, e);
        } else {
            sent.incrementAndGet();
        }
    }

    /** Records acknowledged by the broker so far. */
    public long sent() {
        return sent.get();
    }

    /** Throws the first send failure, if any: telemetry that did not arrive is not silent. */
    public void checkHealthy() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("telemetry could not be sent to Kafka: " + e, e);
        }
    }

    public void flush() {
        requests.flush();
        heartbeats.flush();
    }

    @Override
    public void close() {
        requests.close();
        heartbeats.close();
    }
}
