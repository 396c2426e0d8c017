package io.chiron.jobs.functions;

import io.chiron.jobs.records.KafkaRecord;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class DecodeFunctionTest {
    private static final long NOW = 1_700_000_000_000L;

    public static InstanceHeartbeat.Builder heartbeat() {
        return InstanceHeartbeat.newBuilder()
                .setInstanceId("i")
                .setModel("m")
                .setRole(InstanceRole.MIXED)
                .setState(InstanceState.RUNNING)
                .setTsMs(NOW)
                .setIntervalMs(1000)
                .setBatchCap(64)
                .setRunning(3)
                .setRunningInteractive(3)
                .setRunningBatch(0)
                .setSwapped(0)
                .setKvUsedTokens(1000)
                .setKvCapacityTokens(100_000)
                .setDecodeSteps(50)
                .setItlMeanMs(10)
                .setItlMaxMs(12)
                .setItlSloMs(50)
                .setOutputTokens(150)
                .setPrefillTokens(0)
                .setStartedTsMs(NOW - 60_000);
    }

    private static KafkaRecord record(byte[] value) {
        return new KafkaRecord(
                "chiron.heartbeats", 0, 7, NOW, "i".getBytes(StandardCharsets.UTF_8), value);
    }

    private static List<DeadLetter> deadLetters(
            OneInputStreamOperatorTestHarness<KafkaRecord, InstanceHeartbeat> h) {
        return h.getSideOutput(DecodeFunction.DEAD_LETTERS).stream()
                .map(StreamRecord::getValue)
                .toList();
    }

    @Test
    void passesAValidRecordAndDeadLettersTheRestWithAReason() throws Exception {
        AvroCodec<InstanceHeartbeat> codec = AvroCodec.of(InstanceHeartbeat.class);
        var harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new DecodeFunction<>(InstanceHeartbeat.class));
        byte[] good = codec.encode(heartbeat().build());
        harness.processElement(record(good), NOW);
        harness.processElement(record("not avro at all".getBytes(StandardCharsets.UTF_8)), NOW);
        harness.processElement(record(java.util.Arrays.copyOf(good, good.length / 3)), NOW);
        harness.processElement(record(codec.encode(heartbeat().setBatchCap(-4).build())), NOW);
        harness.processElement(
                record(codec.encode(heartbeat().setItlMeanMs(Double.NaN).build())), NOW);
        harness.processElement(
                record(codec.encode(heartbeat().setTsMs(NOW + 3 * 86_400_000L).build())), NOW);

        assertThat(harness.extractOutputValues()).singleElement().isEqualTo(heartbeat().build());
        List<DeadLetter> dead = deadLetters(harness);
        assertThat(dead).hasSize(5);
        assertThat(dead)
                .extracting(DeadLetter::getReason)
                .anyMatch(r -> r.contains("not a valid Avro InstanceHeartbeat"))
                .anyMatch(r -> r.contains("negative count"))
                .anyMatch(r -> r.contains("not a number"))
                .anyMatch(r -> r.contains("more than a day"));
        // The bad bytes are kept whole, with where they came from.
        DeadLetter first = dead.get(0);
        assertThat(first.getValue().array())
                .isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));
        assertThat(first.getSourceTopic()).isEqualTo("chiron.heartbeats");
        assertThat(first.getOffset()).isEqualTo(7);
    }
}
