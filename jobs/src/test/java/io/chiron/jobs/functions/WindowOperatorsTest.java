package io.chiron.jobs.functions;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.jobs.types.RecordSerializers;
import io.chiron.jobs.types.StateSerializers;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-instance and per-pool window operators, built as {@link io.chiron.jobs.ChironJob} builds
 * them (aggregate, window function, serializers, late side output), driven by a keyed test harness
 * with explicit watermarks.
 */
class WindowOperatorsTest {
    private static final long T =
            1_700_000_000_000L; // a multiple of 5 s, not of a minute // a multiple of 5 s
    private static final long WINDOW = 5_000;
    private static final long BUCKET = 60_000;
    private static final OutputTag<Telemetry> LATE_TELEMETRY =
            new OutputTag<>("late-telemetry", RecordSerializers.TELEMETRY);

    /** The operator of the last transformation of {@code stream}. */
    @SuppressWarnings("unchecked")
    private static <I, O> OneInputStreamOperator<I, O> operatorOf(DataStream<O> stream) {
        return (OneInputStreamOperator<I, O>)
                ((OneInputTransformation<I, O>) stream.getTransformation()).getOperator();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Telemetry, InstanceSignal>
            instanceWindows() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KeySelector<Telemetry, String> key = Telemetry::instanceId;
        DataStream<InstanceSignal> windows =
                env.fromData(List.of(Telemetry.of(heartbeat(T))), RecordSerializers.TELEMETRY)
                        .keyBy(key)
                        .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW)))
                        .sideOutputLateData(LATE_TELEMETRY)
                        .aggregate(
                                new InstanceAggregate(),
                                new EmitInstanceSignal(false),
                                StateSerializers.INSTANCE_WINDOW,
                                StateSerializers.INSTANCE_WINDOW,
                                new AvroTypeInfo<>(InstanceSignal.class));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        WindowOperatorsTest.<Telemetry, InstanceSignal>operatorOf(windows),
                        key,
                        Types.STRING);
        h.open();
        return h;
    }

    private static io.chiron.records.InstanceHeartbeat heartbeat(long ts) {
        return io.chiron.records.TestRecords.heartbeat().setInstanceId("i").setTsMs(ts).build();
    }

    @Test
    void anInstanceWindowEmitsOnceTheWatermarkPassesItsEndAndOnlyWithHeartbeats() throws Exception {
        var h = instanceWindows();
        // Instance i: two heartbeats and a finished request in [T, T + 5 s); instance j: only a
        // request, no heartbeat (its agent is down).
        h.processElement(new StreamRecord<>(Telemetry.of(heartbeat(T + 1_000)), T + 1_000));
        h.processElement(new StreamRecord<>(Telemetry.of(heartbeat(T + 2_000)), T + 2_000));
        RequestEvent done = PreAggregateTest.event(RequestEventType.FINISHED, "i", T + 2_500, 300);
        h.processElement(new StreamRecord<>(Telemetry.of(done), T + 2_500));
        RequestEvent other = PreAggregateTest.event(RequestEventType.FINISHED, "j", T + 2_600, 300);
        h.processElement(new StreamRecord<>(Telemetry.of(other), T + 2_600));
        h.processWatermark(T + WINDOW - 2); // one millisecond short of the window's last
        assertThat(h.extractOutputValues()).isEmpty();
        h.processWatermark(T + WINDOW - 1);
        // One signal, instance i's: j's window has no heartbeat, so no gauges, so no signal.
        assertThat(h.extractOutputValues())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getInstanceId()).isEqualTo("i");
                            assertThat(s.getWindowStartMs()).isEqualTo(T);
                            assertThat(s.getWindowEndMs()).isEqualTo(T + WINDOW);
                            assertThat(s.getHeartbeats()).isEqualTo(2);
                            assertThat(s.getCompletionsInteractive()).isEqualTo(1);
                        });
        // A heartbeat of the closed window is late: to the side output, not into a new signal.
        h.processElement(new StreamRecord<>(Telemetry.of(heartbeat(T + 3_000)), T + 3_000));
        assertThat(h.getSideOutput(LATE_TELEMETRY)).hasSize(1);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.close();
    }

    private static PoolInput arrival(long ts, long deadline) {
        return PoolInput.of(
                RequestEvent.newBuilder(
                                PreAggregateTest.event(RequestEventType.ARRIVED, null, ts, 0))
                        .setRequestClass(RequestClass.BATCH)
                        .setDeadlineTsMs(deadline)
                        .build());
    }

    @Test
    void poolWindowsCarryTheQueueAcrossWindowsAndCapItsGroups() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KeySelector<PoolInput, String> key = PoolInput::model;
        DataStream<PoolSignal> windows =
                env.fromData(List.of(arrival(T, T)), RecordSerializers.POOL_INPUT)
                        .keyBy(key)
                        .window(TumblingEventTimeWindows.of(Duration.ofMillis(WINDOW)))
                        .aggregate(
                                new PoolAggregate(5, BUCKET),
                                new EmitPoolSignal(3),
                                StateSerializers.POOL_WINDOW,
                                StateSerializers.POOL_WINDOW,
                                new AvroTypeInfo<>(PoolSignal.class));
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        WindowOperatorsTest.<PoolInput, PoolSignal>operatorOf(windows),
                        key,
                        Types.STRING);
        h.open();
        // Window 1: batch arrivals due in buckets 1, 2, 3 and 4 minutes on; at most 3 groups.
        for (int m = 1; m <= 4; m++) {
            h.processElement(new StreamRecord<>(arrival(T + m, T + m * BUCKET), T + m));
        }
        h.processWatermark(T + WINDOW - 1);
        // Window 2: nothing but a start of the 4-minute request (folded into the overflow).
        RequestEvent started =
                RequestEvent.newBuilder(arrival(T, T + 4 * BUCKET).request)
                        .setType(RequestEventType.STARTED)
                        .setInstanceId("i")
                        .setTsMs(T + WINDOW + 1)
                        .build();
        h.processElement(new StreamRecord<>(PoolInput.of(started), T + WINDOW + 1));
        h.processWatermark(T + 2 * WINDOW - 1);

        List<PoolSignal> signals = h.extractOutputValues();
        assertThat(signals).hasSize(2);
        // Four deadlines a minute apart fall into four one-minute buckets; capped at three
        // groups, the latest two fold into one keyed by the earlier of them.
        assertThat(signals.get(0).getQueueBatch()).isEqualTo(4);
        assertThat(signals.get(0).getQueueGroups()).hasSize(3);
        assertThat(signals.get(0).getQueueGroups().get(2).getRequests()).isEqualTo(2);
        // The queue is kept in state across windows: 4 - 1 started = 3, the overflow drained to 1.
        assertThat(signals.get(1).getQueueBatch()).isEqualTo(3);
        assertThat(signals.get(1).getQueueGroups())
                .extracting(QueueGroup::getRequests)
                .containsExactly(1L, 1L, 1L);
        h.close();
    }
}
