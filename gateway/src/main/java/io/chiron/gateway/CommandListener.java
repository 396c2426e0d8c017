package io.chiron.gateway;

import io.chiron.records.AvroDeserializer;
import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads {@code chiron.commands} (committed records only: the actuator writes them in transactions)
 * from the beginning on its own thread and hands every {@code SET_BATCH_SIZE} to the gateway.
 * Commands are target states, so reading the history again after a restart ends at the latest cap
 * of every instance. A record that does not decode is skipped and counted.
 */
final class CommandListener implements AutoCloseable {
    private final KafkaConsumer<String, FleetCommand> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    volatile long skipped;

    CommandListener(GatewayConfig c, Consumer<FleetCommand> batchSizes) {
        Map<String, Object> conf = new HashMap<>(c.kafkaProperties());
        conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.CLIENT_ID_CONFIG, "chiron-gateway-commands");
        this.consumer =
                new KafkaConsumer<>(conf, new StringDeserializer(), new LenientDeserializer());
        List<TopicPartition> partitions =
                consumer.partitionsFor(c.commandsTopic()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition()))
                        .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread =
                new Thread(
                        () -> {
                            try {
                                while (running) {
                                    for (ConsumerRecord<String, FleetCommand> r :
                                            consumer.poll(Duration.ofMillis(200))) {
                                        FleetCommand cmd = r.value();
                                        if (cmd == null) {
                                            skipped++;
                                        } else if (cmd.getType() == CommandType.SET_BATCH_SIZE) {
                                            batchSizes.accept(cmd);
                                        }
                                    }
                                }
                            } catch (WakeupException e) {
                                // closing
                            } finally {
                                consumer.close();
                            }
                        },
                        "chiron-gateway-commands");
        thread.setDaemon(true);
        thread.start();
    }

    /** Avro that does not decode becomes null (skipped), not a dead consumer. */
    private static final class LenientDeserializer
            implements org.apache.kafka.common.serialization.Deserializer<FleetCommand> {
        private final AvroDeserializer<FleetCommand> avro =
                new AvroDeserializer<>(FleetCommand.class);

        @Override
        public FleetCommand deserialize(String topic, byte[] data) {
            try {
                return avro.deserialize(topic, data);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5000);
    }
}
