package io.chiron.jobs.functions;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolBook;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.InstanceRole;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class PreAggregateTest {
    private static final long T = 1_700_000_000_000L; // a multiple of 5 s
    private static final long WINDOW = 5_000;
    private static final long BUCKET = 60_000;

    private OneInputStreamOperatorTestHarness<RequestEvent, Telemetry> harness;

    public static RequestEvent event(RequestEventType type, String instance, long ts, long ttft) {
        boolean finished = type == RequestEventType.FINISHED;
        return RequestEvent.newBuilder()
                .setType(type)
                .setRequestId("r" + ts)
                .setModel("llama3-8b")
                .setRequestClass(RequestClass.INTERACTIVE)
                .setInstanceId(instance)
                .setInstanceRole(instance == null ? null : InstanceRole.MIXED)
                .setTsMs(ts)
                .setArrivalTsMs(ts - 1_000)
                .setSloTtftMs(2000)
                .setSloItlMs(50)
                .setPromptTokens(300)
                .setOutputTokens(finished ? 40 : 0)
                .setQueueWaitMs(type == RequestEventType.STARTED ? 120 : 0)
                .setTtftMs(finished ? ttft : null)
                .setItlMeanMs(finished ? 21.0 : null)
                .setPreemptions(0)
                .setSloMet(finished ? ttft < 2000 : null)
                .setDeadlineTsMs(null)
                .setDropReason(null)
                .build();
    }

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new PreAggregate(WINDOW, BUCKET));
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private void send(RequestEvent e) throws Exception {
        harness.processElement(new StreamRecord<>(e, e.getTsMs()));
    }

    private List<StreamRecord<PoolInput>> poolOutput() {
        var side = harness.getSideOutput(PreAggregate.POOL_PARTIALS);
        if (side == null) { // nothing sent to it yet
            return List.of();
        }
        return side.stream().map(r -> (StreamRecord<PoolInput>) r).toList();
    }

    private List<StreamRecord<Telemetry>> instanceOutput() {
        return harness.getOutput().stream()
                .filter(StreamRecord.class::isInstance)
                .map(r -> (StreamRecord<Telemetry>) r)
                .toList();
    }

    @Test
    void sendsOnePartialPerInstanceAndWindowWhenTheWatermarkPassesItsEnd() throws Exception {
        List<RequestEvent> first =
                List.of(
                        event(RequestEventType.ARRIVED, null, T + 100, 0),
                        event(RequestEventType.STARTED, "i-1", T + 200, 0),
                        event(RequestEventType.FINISHED, "i-1", T + 900, 450),
                        event(RequestEventType.FINISHED, "i-1", T + 3_000, 2_600),
                        event(RequestEventType.STARTED, "i-2", T + 4_999, 0));
        for (RequestEvent e : first) {
            send(e);
        }
        send(event(RequestEventType.FINISHED, "i-2", T + 5_000, 300)); // the next window
        assertThat(instanceOutput()).isEmpty();
        assertThat(poolOutput()).isEmpty();

        harness.processWatermark(new Watermark(T + 4_998));
        assertThat(instanceOutput()).isEmpty();

        harness.processWatermark(new Watermark(T + 4_999));
        List<StreamRecord<Telemetry>> partials = instanceOutput();
        assertThat(partials).hasSize(2);
        assertThat(partials).allSatisfy(r -> assertThat(r.getTimestamp()).isEqualTo(T + 4_999));
        assertThat(partials)
                .extracting(r -> r.getValue().instanceId())
                .containsExactlyInAnyOrder("i-1", "i-2");
        // The partial of i-1 is what adding its events one by one gives.
        InstanceWindow direct = new InstanceWindow();
        first.stream().filter(e -> "i-1".equals(e.getInstanceId())).forEach(direct::add);
        InstanceWindow partial =
                partials.stream()
                        .map(r -> r.getValue().partial)
                        .filter(w -> w.instanceId().equals("i-1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(partial.toSignal(T, T + WINDOW)).isEqualTo(direct.toSignal(T, T + WINDOW));

        // One pool partial, holding the arrival too (it has no instance).
        List<StreamRecord<PoolInput>> pools = poolOutput();
        assertThat(pools).hasSize(1);
        PoolWindow pool = new PoolWindow();
        first.forEach(e -> pool.add(e, BUCKET));
        assertThat(pools.get(0).getTimestamp()).isEqualTo(T + 4_999);
        assertThat(new PoolBook().apply(pools.get(0).getValue().partial, T, T + WINDOW))
                .isEqualTo(new PoolBook().apply(pool, T, T + WINDOW));

        // The watermark itself is passed on, after the partials.
        assertThat(List.copyOf(harness.getOutput())).last().isEqualTo(new Watermark(T + 4_999));
    }

    @Test
    void keepsAnInstancesOpenWindowsApartAndSendsEachWhenTheWatermarkPassesIt() throws Exception {
        // i-1 has events in three windows at once (the watermark lags), i-2 in the second only.
        send(event(RequestEventType.STARTED, "i-1", T + 100, 0));
        send(event(RequestEventType.STARTED, "i-1", T + 5_100, 0));
        send(event(RequestEventType.STARTED, "i-1", T + 10_100, 0));
        send(event(RequestEventType.STARTED, "i-1", T + 200, 0));
        send(event(RequestEventType.STARTED, "i-2", T + 5_200, 0));
        send(event(RequestEventType.STARTED, "i-1", T + 5_300, 0));

        // The first window: i-1's two starts there, nothing of the later windows.
        harness.processWatermark(new Watermark(T + 4_999));
        assertThat(instanceOutput())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getTimestamp()).isEqualTo(T + 4_999);
                            assertThat(r.getValue().partial.toSignal(T, T + WINDOW).getStarted())
                                    .isEqualTo(2);
                        });
        // An event of the second window after the first was sent joins the second's partial.
        send(event(RequestEventType.STARTED, "i-1", T + 6_000, 0));

        // The second: i-1's three starts (5,100, 5,300 and 6,000) and i-2's one.
        harness.processWatermark(new Watermark(T + 9_999));
        assertThat(instanceOutput()).hasSize(3);
        assertThat(instanceOutput().subList(1, 3))
                .allSatisfy(r -> assertThat(r.getTimestamp()).isEqualTo(T + 9_999))
                .extracting(
                        r ->
                                r.getValue().instanceId()
                                        + "="
                                        + r.getValue()
                                                .partial
                                                .toSignal(T + WINDOW, T + 2 * WINDOW)
                                                .getStarted())
                .containsExactlyInAnyOrder("i-1=3", "i-2=1");

        // The third, with i-1's last start; then nothing is held.
        harness.processWatermark(new Watermark(T + 14_999));
        assertThat(instanceOutput()).hasSize(4);
        assertThat(instanceOutput().get(3).getTimestamp()).isEqualTo(T + 14_999);
        harness.prepareSnapshotPreBarrier(1);
        assertThat(instanceOutput()).hasSize(4);
    }

    @Test
    void anEventWhoseWindowWasSentGoesOnAloneForTheWindowsDownstreamToJudge() throws Exception {
        harness.processWatermark(new Watermark(T + 6_000));
        RequestEvent late = event(RequestEventType.FINISHED, "i-1", T + 1_000, 400);
        send(late);
        assertThat(instanceOutput())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getValue().request).isEqualTo(late);
                            assertThat(r.getTimestamp()).isEqualTo(T + 1_000);
                        });
        assertThat(poolOutput())
                .singleElement()
                .satisfies(r -> assertThat(r.getValue().request).isEqualTo(late));
    }

    @Test
    void holdsNothingAcrossACheckpoint() throws Exception {
        send(event(RequestEventType.STARTED, "i-1", T + 100, 0));
        send(event(RequestEventType.STARTED, "i-1", T + 7_000, 0));
        harness.prepareSnapshotPreBarrier(1);
        // Both windows' partials go before the barrier, though neither window has closed.
        assertThat(instanceOutput())
                .extracting(StreamRecord::getTimestamp)
                .containsExactlyInAnyOrder(T + 4_999, T + 9_999);
        assertThat(poolOutput()).hasSize(2);
        // Events after the barrier start new partials of the same windows.
        send(event(RequestEventType.STARTED, "i-1", T + 7_500, 0));
        harness.processWatermark(new Watermark(T + 9_999));
        assertThat(instanceOutput()).hasSize(3);
    }
}
