package io.chiron.actuator.backend;

import io.chiron.records.AvroSerializer;
import io.chiron.records.FleetCommand;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Publishes commands to the command topic, keyed by model, for instance agents or a gateway. */
public final class KafkaCommandBackend implements CommandBackend {
    private final KafkaProducer<String, FleetCommand> producer;
    private final String topic;

    public KafkaCommandBackend(String bootstrapServers, String topic, String clientId) {
        this.topic = topic;
        this.producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                                ProducerConfig.LINGER_MS_CONFIG, 0),
                        new StringSerializer(),
                        new AvroSerializer<>(FleetCommand.class));
    }

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public void send(FleetCommand command) throws Exception {
        // Commands are rare and matter: wait for the acknowledgement, so FAILED means failed.
        producer.send(
                        new ProducerRecord<>(
                                topic, null, command.getTsMs(), command.getModel(), command))
                .get(30, TimeUnit.SECONDS);
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
