package io.chiron.policy.signals;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InstanceWindowTest {
    static InstanceHeartbeat hb(long ts, int b, int running, int steps, double itl) {
        return InstanceHeartbeat.newBuilder()
                .setInstanceId("i")
                .setModel("m")
                .setRole(InstanceRole.MIXED)
                .setState(InstanceState.RUNNING)
                .setTsMs(ts)
                .setIntervalMs(1000)
                .setBatchCap(b)
                .setRunning(running)
                .setRunningInteractive(running)
                .setRunningBatch(0)
                .setSwapped(0)
                .setKvUsedTokens(running * 1000L)
                .setKvCapacityTokens(100_000)
                .setDecodeSteps(steps)
                .setItlMeanMs(itl)
                .setItlMaxMs(itl)
                .setItlSloMs(50)
                .setOutputTokens((long) steps * running)
                .setPrefillTokens(0)
                .setStartedTsMs(0)
                .build();
    }

    static RequestEvent finished(long ts, long ttft, boolean met) {
        return RequestEvent.newBuilder()
                .setType(RequestEventType.FINISHED)
                .setRequestId("r" + ts)
                .setModel("m")
                .setRequestClass(RequestClass.INTERACTIVE)
                .setInstanceId("i")
                .setInstanceRole(InstanceRole.MIXED)
                .setTsMs(ts)
                .setArrivalTsMs(ts - 5_000)
                .setSloTtftMs(2000)
                .setSloItlMs(50)
                .setPromptTokens(100)
                .setOutputTokens(10)
                .setQueueWaitMs(0)
                .setTtftMs(ttft)
                .setItlMeanMs(20.0)
                .setPreemptions(0)
                .setSloMet(met)
                .build();
    }

    @Test
    void gaugesComeFromTheLatestHeartbeatWhateverTheOrder() {
        InstanceWindow w = new InstanceWindow();
        w.add(hb(3_000, 64, 10, 50, 20));
        w.add(hb(1_000, 32, 4, 50, 10)); // late arrival of an older heartbeat
        InstanceSignal s = w.toSignal(0, 5_000);
        assertThat(s.getBatchCap()).isEqualTo(64);
        assertThat(s.getHeartbeats()).isEqualTo(2);
        assertThat(s.getRunningMax()).isEqualTo(10);
        assertThat(s.getRunningMean()).isEqualTo(7.0);
        // 50*10 + 50*4 = 700 tokens over a 5 s window.
        assertThat(s.getOutputTokensPerS()).isEqualTo(140.0);
    }

    @Test
    void itlPercentilesAreWeightedByDecodeSteps() {
        InstanceWindow w = new InstanceWindow();
        w.add(hb(1_000, 64, 10, 96, 10)); // 96 steps at 10 ms
        w.add(hb(2_000, 64, 10, 4, 100)); // 4 steps at 100 ms
        InstanceSignal s = w.toSignal(0, 5_000);
        // 96 % of the steps took 10 ms: the median and p95 are 10 ms, p99 is 100 ms (1 % error).
        assertThat(s.getItlP50Ms()).isCloseTo(10, within(0.1));
        assertThat(s.getItlP95Ms()).isCloseTo(10, within(0.1));
        assertThat(s.getItlP99Ms()).isCloseTo(100, within(1.0));
    }

    @Test
    void mergingTwoHalvesEqualsAddingEverythingToOne() {
        InstanceWindow whole = new InstanceWindow();
        InstanceWindow a = new InstanceWindow();
        InstanceWindow b = new InstanceWindow();
        for (int t = 0; t < 5; t++) {
            InstanceHeartbeat h = hb(t * 1000L, 64, t, 10 * t, 5 + t);
            RequestEvent e = finished(t * 1000L, 100L * t, t % 2 == 0);
            whole.add(h);
            whole.add(e);
            (t < 3 ? a : b).add(h);
            (t < 3 ? a : b).add(e);
        }
        a.merge(b);
        assertThat(a.toSignal(0, 5_000)).isEqualTo(whole.toSignal(0, 5_000));
    }

    @Test
    void countsCompletionsAndSloAttainmentByClass() {
        InstanceWindow w = new InstanceWindow();
        w.add(hb(1_000, 64, 1, 1, 10));
        w.add(finished(1_500, 300, true));
        w.add(finished(2_500, 2_500, false));
        InstanceSignal s = w.toSignal(0, 5_000);
        assertThat(s.getCompletionsInteractive()).isEqualTo(2);
        assertThat(s.getSloMetInteractive()).isEqualTo(1);
        assertThat(s.getTtftP99Ms()).isCloseTo(2_500, within(25.0));
    }

    @Test
    void survivesItsBinaryFormUnchanged() throws Exception {
        InstanceWindow w = new InstanceWindow();
        w.add(hb(1_000, 64, 10, 50, 12.5));
        w.add(finished(1_500, 300, true));
        var bytes = new java.io.ByteArrayOutputStream();
        w.writeTo(new java.io.DataOutputStream(bytes));
        InstanceWindow back =
                InstanceWindow.readFrom(
                        new java.io.DataInputStream(
                                new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertThat(back.toSignal(0, 5_000)).isEqualTo(w.toSignal(0, 5_000));
        // And it keeps accumulating after the round trip.
        back.add(hb(2_000, 64, 12, 50, 12.5));
        assertThat(back.toSignal(0, 5_000).getHeartbeats()).isEqualTo(2);
    }

    @Test
    void keepsAnIdLongerThanWriteUtfCouldInItsBinaryForm() throws Exception {
        // DataOutput.writeUTF fails over 65,535 bytes: issue 18 saw the job fail on a
        // 70,000-character instance id. Validation refuses such ids; state must not fail anyway.
        InstanceWindow w = new InstanceWindow();
        String id = "\u00e9".repeat(40_000); // 80,000 bytes in UTF-8
        w.add(InstanceHeartbeat.newBuilder(hb(1_000, 64, 10, 50, 12.5)).setInstanceId(id).build());
        var bytes = new java.io.ByteArrayOutputStream();
        w.writeTo(new java.io.DataOutputStream(bytes));
        InstanceWindow back =
                InstanceWindow.readFrom(
                        new java.io.DataInputStream(
                                new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertThat(back.instanceId()).isEqualTo(id);
    }
}
