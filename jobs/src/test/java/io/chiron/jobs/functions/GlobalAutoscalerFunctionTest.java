package io.chiron.jobs.functions;

import io.chiron.policy.ChironConfig;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;
import io.chiron.records.ScalingDecision;
import io.chiron.records.TestRecords;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GlobalAutoscalerFunctionTest {
    private static final long T0 = 1_700_000_000_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, PoolSignal, ScalingDecision> harness;

    @BeforeEach
    void open() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(
                                new GlobalAutoscalerFunction(
                                        ChironConfig.defaults(), "h100-llama3-8b", "chiron")),
                        PoolSignal::getModel,
                        Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** One pool window with a batch backlog due in 5 minutes: more than one BATCH instance. */
    private static PoolSignal backlog(String model, long end) {
        return TestRecords.poolSignal(end - 5_000, end)
                .setModel(model)
                .setInstancesInteractive(1)
                .setInstancesMixed(1)
                .setInstancesBatch(1)
                .setBatchCapInteractive(256)
                .setBatchCapMixed(256)
                .setBatchCapBatch(256)
                .setBatchCapMean(256)
                .setOutputTokensMean(200)
                .setQueueBatch(100_000)
                .setQueueGroups(
                        List.of(
                                QueueGroup.newBuilder()
                                        .setRequestClass(RequestClass.BATCH)
                                        .setSloBucketMs(300_000)
                                        .setEarliestDeadlineTsMs(end + 300_000)
                                        .setRequests(100_000)
                                        .setPromptTokens(100_000_000L)
                                        .build()))
                .build();
    }

    @Test
    void decidesPerPoolOncePerPeriodAndKeepsOneStateEntryPerPool() throws Exception {
        harness.processElement(new StreamRecord<>(backlog("a", T0), T0 - 1));
        List<ScalingDecision> first = decisions();
        // 100,000 requests of 1,000 prompt and 200 output tokens due in 5 minutes: far beyond one
        // BATCH instance; the rule asks for more at once.
        assertThat(first)
                .filteredOn(d -> d.getRole() == InstanceRole.BATCH)
                .singleElement()
                .satisfies(d -> assertThat(d.getTarget()).isGreaterThan(1));
        // The next window is inside the 15 s global period: no decision.
        harness.processElement(new StreamRecord<>(backlog("a", T0 + 5_000), T0 + 4_999));
        assertThat(decisions()).isEmpty();
        // Another pool decides for itself, with its own state.
        harness.processElement(new StreamRecord<>(backlog("b", T0 + 5_000), T0 + 4_999));
        assertThat(decisions()).isNotEmpty().allMatch(d -> d.getModel().equals("b"));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private List<ScalingDecision> decisions() {
        List<ScalingDecision> out =
                harness.extractOutputValues().stream().map(o -> (ScalingDecision) o).toList();
        harness.getOutput().clear();
        return out;
    }
}
