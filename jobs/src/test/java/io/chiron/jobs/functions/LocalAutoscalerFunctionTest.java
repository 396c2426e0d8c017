package io.chiron.jobs.functions;

import io.chiron.policy.ChironConfig;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.ScalingDecision;
import io.chiron.records.TestRecords;

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
        return TestRecords.instanceSignal(id, end - 5_000, end)
                .setState(state)
                .setBatchCap(256)
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
