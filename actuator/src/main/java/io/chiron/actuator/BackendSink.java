package io.chiron.actuator;

import io.chiron.actuator.backend.CommandBackend;
import io.chiron.actuator.backend.KubernetesScaleBackend;
import io.chiron.actuator.backend.WebhookBackend;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.AvroSerializer;
import io.chiron.records.AvroTrust;
import io.chiron.records.FleetCommand;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.util.Map;

/**
 * Applies the commands routed to a Kubernetes or HTTP backend and records each outcome, APPLIED or
 * FAILED with the reason, on the actuations topic. Commands are target states, so one replayed
 * after a restart changes nothing the second time.
 */
public final class BackendSink implements Sink<FleetCommand> {
    private static final long serialVersionUID = 1L;

    /**
     * Makes the backend a writer applies commands with, on the task manager: the sink's seam, so a
     * test can hand in its own.
     */
    @FunctionalInterface
    public interface BackendFactory extends java.io.Serializable {
        CommandBackend create() throws IOException;
    }

    private final BackendFactory backends;
    private final String bootstrapServers;
    private final String actuationsTopic;
    private final java.util.HashMap<String, String> clientProperties;

    public BackendSink(
            ActuatorConfig.Backend backend,
            ActuatorConfig config,
            String bootstrapServers,
            String actuationsTopic) {
        this(backend, config, bootstrapServers, actuationsTopic, Map.of());
    }

    /**
     * @param clientProperties Kafka client settings of the outcome producer (security)
     */
    public BackendSink(
            ActuatorConfig.Backend backend,
            ActuatorConfig config,
            String bootstrapServers,
            String actuationsTopic,
            Map<String, String> clientProperties) {
        this(factory(backend, config), bootstrapServers, actuationsTopic, clientProperties);
    }

    /**
     * @param backends makes the backend of each writer
     * @param clientProperties Kafka client settings of the outcome producer (security)
     */
    public BackendSink(
            BackendFactory backends,
            String bootstrapServers,
            String actuationsTopic,
            Map<String, String> clientProperties) {
        this.backends = backends;
        this.bootstrapServers = bootstrapServers;
        this.actuationsTopic = actuationsTopic;
        this.clientProperties = new java.util.HashMap<>(clientProperties);
    }

    /** The production backends: the Kubernetes scale subresource or the HTTP webhook. */
    static BackendFactory factory(ActuatorConfig.Backend backend, ActuatorConfig config) {
        return switch (backend) {
            case KUBERNETES -> () -> new KubernetesScaleBackend(config.kubernetes);
            case HTTP -> () -> new WebhookBackend(config.webhook);
            default ->
                    throw new IllegalArgumentException(
                            "a backend sink is for kubernetes or http, not " + backend);
        };
    }

    @Override
    public SinkWriter<FleetCommand> createWriter(WriterInitContext context) throws IOException {
        AvroTrust.install();
        CommandBackend b = backends.create();
        String client =
                "chiron-actuator-" + b.name() + "-" + context.getTaskInfo().getIndexOfThisSubtask();
        Map<String, Object> producer = new java.util.HashMap<>(clientProperties);
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, client);
        return new Writer(
                b,
                new KafkaProducer<>(
                        producer,
                        new StringSerializer(),
                        new AvroSerializer<>(ActuationResult.class)),
                actuationsTopic,
                context.metricGroup().counter("applied"),
                context.metricGroup().counter("failed"));
    }

    static final class Writer implements SinkWriter<FleetCommand> {
        private final CommandBackend backend;
        private final Producer<String, ActuationResult> results;
        private final String topic;
        private final Counter applied;
        private final Counter failed;

        Writer(
                CommandBackend backend,
                Producer<String, ActuationResult> results,
                String topic,
                Counter applied,
                Counter failed) {
            this.backend = backend;
            this.results = results;
            this.topic = topic;
            this.applied = applied;
            this.failed = failed;
        }

        @Override
        public void write(FleetCommand c, Context context) {
            ActuationStatus status;
            String reason;
            try {
                reason = backend.apply(c);
                status = ActuationStatus.APPLIED;
                applied.inc();
            } catch (Exception e) {
                if (interrupted(e)) {
                    // The task is being cancelled (a failure elsewhere, or a stop): this is no
                    // outcome of the command, which the restarted job replays from its checkpoint.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(
                            "cancelled while applying " + c.getCommandId(), e);
                }
                reason = backend.name() + ": " + describe(e);
                status = ActuationStatus.FAILED;
                failed.inc();
            }
            results.send(
                    new ProducerRecord<>(
                            topic,
                            null,
                            c.getTsMs(),
                            c.getModel(),
                            ActuatorFunction.result(
                                    c.getDecisionId(),
                                    c.getCommandId(),
                                    c.getTsMs(),
                                    c.getModel(),
                                    backend.name(),
                                    status,
                                    reason)));
        }

        private static boolean interrupted(Throwable e) {
            if (Thread.currentThread().isInterrupted()) {
                return true;
            }
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InterruptedException
                        || t instanceof java.io.InterruptedIOException) {
                    return true;
                }
            }
            return false;
        }

        /** The message and the root cause's, which is where the client says what went wrong. */
        static String describe(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = String.valueOf(e.getMessage()).trim();
            if (root == e) {
                return message;
            }
            return message
                    + " ("
                    + root.getClass().getSimpleName()
                    + ": "
                    + root.getMessage()
                    + ")";
        }

        @Override
        public void flush(boolean endOfInput) {
            results.flush();
        }

        @Override
        public void close() throws Exception {
            try {
                backend.close();
            } finally {
                results.close();
            }
        }
    }
}
