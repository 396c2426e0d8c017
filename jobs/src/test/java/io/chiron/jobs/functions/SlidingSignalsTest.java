package io.chiron.jobs.functions;

import io.chiron.jobs.records.InstancePane;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.records.InstanceSignal;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingSignalsTest {
    private static final long T = 1_700_000_000_000L;

    private static InstancePane pane(long start, int outputTokensPerHeartbeat) {
        InstanceWindow w = new InstanceWindow();
        w.add(
                io.chiron.records.TestRecords.heartbeat()
                        .setTsMs(start + 1_000)
                        .setOutputTokens(outputTokensPerHeartbeat)
                        .build());
        return new InstancePane(start, start + 5_000, w);
    }

    @Test
    void mergesThePanesOfTheLastThirtySecondsAndForgetsASilentInstance() throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<String, InstancePane, InstanceSignal>(
                        new KeyedProcessOperator<>(new SlidingSignals(30_000)),
                        p -> p.window.instanceId(),
                        Types.STRING);
        harness.open();
        // Eight panes of 5 s, 100 output tokens each: after the eighth, the last six (30 s) count.
        for (int k = 0; k < 8; k++) {
            harness.processElement(
                    new StreamRecord<>(pane(T + k * 5_000L, 100), T + k * 5_000L + 4_999));
        }
        var signals = harness.extractOutputValues();
        assertThat(signals).hasSize(8);
        InstanceSignal last = signals.get(7);
        assertThat(last.getWindowStartMs()).isEqualTo(T + 10_000);
        assertThat(last.getWindowEndMs()).isEqualTo(T + 40_000);
        assertThat(last.getOutputTokens()).isEqualTo(600);
        assertThat(last.getHeartbeats()).isEqualTo(6);
        // The first signal covered only what there was.
        assertThat(signals.get(0).getOutputTokens()).isEqualTo(100);
        // One map of panes for the one instance (the panes outside the length are gone: the
        // last signal merged exactly six).
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        // Silence: once event time passes the newest pane plus the length, nothing is left.
        harness.processWatermark(new Watermark(T + 40_000 + 30_000));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        harness.close();
    }
}
