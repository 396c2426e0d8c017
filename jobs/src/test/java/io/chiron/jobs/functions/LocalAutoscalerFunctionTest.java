package io.chiron.jobs.functions;

import io.chiron.policy.ChironConfig;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LocalAutoscalerFunctionTest {
    private KeyedOneInputStreamOperatorTestHarness<String, InstanceSignal, ScalingDecision> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new LocalAutoscalerFunction(
                                        ChironConfig.defaults(), "h100-llama3-8b", "chiron")),
                        InstanceSignal::getInstanceId,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    static InstanceSignal signal(String id, long end, InstanceState state) {
        return InstanceSignal.newBuilder()
                .setInstanceId(id)
                .setModel("m")
                .setRole(InstanceRole.INTERACTIVE)
                .setState(state)
                .setWindowStartMs(end - 5_000)
                .setWindowEndMs(end)
                .setHeartbeats(5)
                .setBatchCap(256)
                .setRunningMean(0)
                .setRunningMax(0)
                .setRunningInteractive(0)
                .setRunningBatch(0)
                .setKvUtilMean(0)
                .setItlSloMs(0)
                .setItlP50Ms(0)
                .setItlP95Ms(0)
                .setItlP99Ms(0)
                .setDecodeSteps(0)
                .setOutputTokens(0)
                .setOutputTokensPerS(0)
                .setPrefillTokens(0)
                .setStarted(0)
                .setCompletions(0)
                .setCompletionsInteractive(0)
                .setSloMetInteractive(0)
                .setCompletionsBatch(0)
                .setSloMetBatch(0)
                .setQueueWaitP95Ms(0)
                .setTtftP50Ms(0)
                .setTtftP95Ms(0)
                .setTtftP99Ms(0)
                .build();
    }

    @Test
    void decidesAnInitialBatchSizeAndKeepsStatePerInstance() throws Exception {
        harness.processElement(
                new StreamRecord<>(signal("a", 5_000, InstanceState.RUNNING), 4_999));
        harness.processElement(
                new StreamRecord<>(signal("b", 5_000, InstanceState.RUNNING), 4_999));
        assertThat(harness.extractOutputValues())
                .extracting(ScalingDecision::getInstanceId)
                .containsExactly("a", "b");
        // Two state entries (policy state, last seen) and one forget-timer per instance.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(4);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);
    }

    @Test
    void aStoppedInstanceLeavesNoStateOrTimer() throws Exception {
        harness.processElement(
                new StreamRecord<>(signal("a", 5_000, InstanceState.RUNNING), 4_999));
        harness.processElement(
                new StreamRecord<>(signal("a", 10_000, InstanceState.STOPPED), 9_999));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aSilentInstanceIsForgottenAfterTenMinutesOfEventTime() throws Exception {
        harness.processElement(
                new StreamRecord<>(signal("a", 5_000, InstanceState.RUNNING), 4_999));
        harness.processElement(
                new StreamRecord<>(signal("a", 10_000, InstanceState.RUNNING), 9_999));
        // Only the latest signal's timer is live.
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        harness.processWatermark(new Watermark(10_000 + 600_000 - 1));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        harness.processWatermark(new Watermark(10_000 + 600_000));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
