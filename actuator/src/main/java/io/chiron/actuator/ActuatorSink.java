package io.chiron.actuator;

import io.chiron.actuator.backend.CommandBackend;
import io.chiron.actuator.backend.KafkaCommandBackend;
import io.chiron.policy.Commands;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.AvroSerializer;
import io.chiron.records.AvroTrust;
import io.chiron.records.FleetCommand;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.util.Map;

/**
 * The decision sink: every decision passes the {@link SafetyGuard}, becomes a {@link FleetCommand}
 * on the backend (unless rejected or in dry-run), and leaves an {@link ActuationResult} on the
 * actuations topic with its outcome and reason.
 */
public final class ActuatorSink implements Sink<ScalingDecision> {
    private static final long serialVersionUID = 1L;

    private final String bootstrapServers;
    private final String commandsTopic;
    private final String actuationsTopic;
    private final GuardConfig guard;

    public ActuatorSink(
            String bootstrapServers,
            String commandsTopic,
            String actuationsTopic,
            GuardConfig guard) {
        this.bootstrapServers = bootstrapServers;
        this.commandsTopic = commandsTopic;
        this.actuationsTopic = actuationsTopic;
        this.guard = guard;
    }

    @Override
    public SinkWriter<ScalingDecision> createWriter(WriterInitContext context) throws IOException {
        AvroTrust.install(); // before any decision is deserialized in this task
        String clientId = "chiron-actuator-" + context.getTaskInfo().getIndexOfThisSubtask();
        return new Writer(
                new SafetyGuard(guard),
                new KafkaCommandBackend(bootstrapServers, commandsTopic, clientId + "-commands"),
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ProducerConfig.CLIENT_ID_CONFIG,
                                clientId + "-results"),
                        new StringSerializer(),
                        new AvroSerializer<>(ActuationResult.class)),
                actuationsTopic,
                guard.dryRun,
                context.metricGroup().counter("applied"),
                context.metricGroup().counter("rejected"),
                context.metricGroup().counter("failed"));
    }

    static final class Writer implements SinkWriter<ScalingDecision> {
        private final SafetyGuard guard;
        private final CommandBackend backend;
        private final KafkaProducer<String, ActuationResult> results;
        private final String actuationsTopic;
        private final boolean dryRun;
        private final Counter applied;
        private final Counter rejected;
        private final Counter failed;

        Writer(
                SafetyGuard guard,
                CommandBackend backend,
                KafkaProducer<String, ActuationResult> results,
                String actuationsTopic,
                boolean dryRun,
                Counter applied,
                Counter rejected,
                Counter failed) {
            this.guard = guard;
            this.backend = backend;
            this.results = results;
            this.actuationsTopic = actuationsTopic;
            this.dryRun = dryRun;
            this.applied = applied;
            this.rejected = rejected;
            this.failed = failed;
        }

        @Override
        public void write(ScalingDecision d, Context context) {
            SafetyGuard.Verdict verdict = guard.check(d);
            if (!verdict.allowed()) {
                rejected.inc();
                record(d, null, ActuationStatus.REJECTED, verdict.reason());
                return;
            }
            FleetCommand command = Commands.of(d, verdict.value());
            if (dryRun) {
                record(
                        d,
                        command.getCommandId(),
                        ActuationStatus.DRY_RUN,
                        "dry-run: " + verdict.reason());
                return;
            }
            try {
                backend.send(command);
                applied.inc();
                record(d, command.getCommandId(), ActuationStatus.APPLIED, verdict.reason());
            } catch (Exception e) {
                failed.inc();
                record(
                        d,
                        command.getCommandId(),
                        ActuationStatus.FAILED,
                        backend.name() + ": " + e);
            }
        }

        private void record(
                ScalingDecision d, String commandId, ActuationStatus status, String reason) {
            ActuationResult result =
                    ActuationResult.newBuilder()
                            .setDecisionId(d.getDecisionId())
                            .setCommandId(commandId)
                            .setTsMs(d.getTsMs())
                            .setActuatedAtMs(System.currentTimeMillis())
                            .setModel(d.getModel())
                            .setBackend(
                                    dryRun || status == ActuationStatus.REJECTED
                                            ? "none"
                                            : backend.name())
                            .setStatus(status)
                            .setReason(reason)
                            .build();
            results.send(
                    new ProducerRecord<>(actuationsTopic, null, d.getTsMs(), d.getModel(), result));
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            try {
                backend.flush();
            } catch (Exception e) {
                throw new IOException("command backend flush failed", e);
            }
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
