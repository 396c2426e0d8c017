package io.chiron.actuator;

import io.chiron.policy.Decisions;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The actuator operator: the guard's verdict per decision, its memory in keyed state. */
class ActuatorFunctionTest {
    private static final long T0 = 1_700_000_000_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, ScalingDecision, FleetCommand>
            harness(ActuatorConfig config) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ActuatorFunction(config)),
                        ScalingDecision::getModel,
                        Types.STRING);
        h.open();
        return h;
    }

    private static ScalingDecision scale(String model, long ts, int target, int previous) {
        return Decisions.replicas(
                "chiron", model, InstanceRole.BATCH, ts, target, previous, "test", Map.of());
    }

    private static List<ActuationResult> results(
            KeyedOneInputStreamOperatorTestHarness<String, ScalingDecision, FleetCommand> h) {
        return h.getSideOutput(ActuatorFunction.RESULTS).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void appliesADecisionOnceAndRecordsEveryOutcome() throws Exception {
        try (var h = harness(new ActuatorConfig())) {
            ScalingDecision out = scale("m", T0, 4, 2);
            h.processElement(new StreamRecord<>(out, T0));
            // The same decision again (a replay after a restart): rejected as a duplicate.
            h.processElement(new StreamRecord<>(out, T0));
            // From 4 to 22 is a step of 18, more than the max step of 16: cut to 4 + 16 = 20.
            h.processElement(new StreamRecord<>(scale("m", T0 + 60_000, 22, 4), T0 + 60_000));
            assertThat(h.extractOutputValues())
                    .extracting(FleetCommand::getValue)
                    .containsExactly(4, 20);
            assertThat(results(h))
                    .extracting(ActuationResult::getStatus)
                    .containsExactly(
                            ActuationStatus.APPLIED,
                            ActuationStatus.REJECTED,
                            ActuationStatus.APPLIED);
            assertThat(results(h).get(1).getReason()).startsWith("duplicate");
            assertThat(results(h).get(2).getReason()).contains("max-step 16");
            // The guard's memory of the pool lives in keyed state of that pool only.
            assertThat(h.numKeyedStateEntries()).isPositive();
        }
    }

    @Test
    void aDryRunRecordsAndSendsNothing() throws Exception {
        ActuatorConfig config = new ActuatorConfig();
        config.guard.dryRun = true;
        try (var h = harness(config)) {
            h.processElement(new StreamRecord<>(scale("m", T0, 4, 2), T0));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(results(h))
                    .singleElement()
                    .satisfies(r -> assertThat(r.getStatus()).isEqualTo(ActuationStatus.DRY_RUN));
        }
    }
}
