package io.chiron.actuator;

import io.chiron.actuator.backend.CommandBackend;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;

import org.apache.flink.metrics.SimpleCounter;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The backend writer's bookkeeping: every command one outcome, with the backend's own words. */
class BackendSinkWriterTest {
    /** A backend that answers each command by its value: odd ones fail as a real client would. */
    private static final class Answering implements CommandBackend {
        @Override
        public String name() {
            return "test";
        }

        @Override
        public String apply(FleetCommand c) throws IOException {
            if (c.getValue() % 2 == 1) {
                throw new IOException(
                        "scale failed", new java.net.ConnectException("Connection refused"));
            }
            return "replicas set to " + c.getValue();
        }

        @Override
        public void close() {}
    }

    private static FleetCommand command(String id, int value) {
        return FleetCommand.newBuilder()
                .setCommandId(id)
                .setDecisionId("d-" + id)
                .setTsMs(1_000)
                .setModel("m")
                .setType(CommandType.SET_REPLICAS)
                .setInstanceId(null)
                .setRole(InstanceRole.BATCH)
                .setValue(value)
                .build();
    }

    @Test
    void everyCommandGetsOneOutcomeWithTheReason() {
        MockProducer<String, ActuationResult> results =
                new MockProducer<>(true, null, new StringSerializer(), (t, r) -> new byte[0]);
        SimpleCounter applied = new SimpleCounter();
        SimpleCounter failed = new SimpleCounter();
        var writer =
                new BackendSink.Writer(new Answering(), results, "actuations", applied, failed);
        writer.write(command("a", 4), null);
        writer.write(command("b", 5), null);
        writer.flush(false);
        assertThat(results.history())
                .extracting(r -> r.value().getCommandId() + " " + r.value().getStatus())
                .containsExactly("a APPLIED", "b FAILED");
        assertThat(results.history().get(0).value().getReason()).isEqualTo("replicas set to 4");
        // The reason names the backend, the message and the root cause.
        assertThat(results.history().get(1).value().getReason())
                .isEqualTo("test: scale failed (ConnectException: Connection refused)");
        assertThat(results.history()).allSatisfy(r -> assertThat(r.key()).isEqualTo("m"));
        assertThat(applied.getCount()).isEqualTo(1);
        assertThat(failed.getCount()).isEqualTo(1);
        assertThat(results.history().get(0).value().getStatus()).isEqualTo(ActuationStatus.APPLIED);
    }
}
