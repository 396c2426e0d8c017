package io.chiron.records;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroCodecTest {
    private final AvroCodec<ScalingDecision> codec = AvroCodec.of(ScalingDecision.class);

    static ScalingDecision decision() {
        return ScalingDecision.newBuilder()
                .setDecisionId("d-1")
                .setTsMs(1_700_000_000_000L)
                .setPolicy("chiron")
                .setModel("llama3-8b")
                .setAction(DecisionAction.SET_REPLICAS)
                .setRole(InstanceRole.MIXED)
                .setTarget(6)
                .setPrevious(4)
                .setReason("deadline at risk")
                .setInputs(Map.of("queue_batch", 40_000.0))
                .build();
    }

    @Test
    void roundTripsARecord() {
        ScalingDecision original = decision();
        assertThat(codec.decode(codec.encode(original))).isEqualTo(original);
    }

    @Test
    void rejectsBytesThatAreNotARecord() {
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("ScalingDecision");
    }

    @Test
    void rejectsATruncatedRecord() {
        byte[] bytes = codec.encode(decision());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void rejectsARecordOfAnotherSchemaWithTrailingBytes() {
        byte[] bytes = codec.encode(decision());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 4);
        assertThatThrownBy(() -> codec.decode(longer))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void rejectsARecordOneByteShortThatTheZerosAfterItWouldComplete() {
        // The decision ends with its inputs map: block count 1 (one byte), the key, the 8-byte
        // double, then block count 0 (one byte). Without that last byte the decoder reads the
        // block count from the zeros it pads with, and the record "completes" one byte early:
        // 15 of the 16 padding bytes are left, so the codec rejects it.
        byte[] bytes = codec.encode(decision());
        byte[] short_ = Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> codec.decode(short_))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("end before its last field");
    }

    @Test
    void decodesRecordsOfEverySizeOneAfterAnotherAndNestedRecords() {
        // A large record (above the 64 KB copy the codec keeps), then a small one and a middling
        // one into the same reused buffers: each decodes to itself, nothing of the one before
        // leaks into the next. A pool signal nests request-group records in an array.
        ScalingDecision large =
                ScalingDecision.newBuilder(decision()).setReason("x".repeat(100_000)).build();
        ScalingDecision middling =
                ScalingDecision.newBuilder(decision()).setReason("y".repeat(2_000)).build();
        for (ScalingDecision d : new ScalingDecision[] {large, decision(), middling, decision()}) {
            assertThat(codec.decode(codec.encode(d))).isEqualTo(d);
        }
        AvroCodec<PoolSignal> pools = AvroCodec.of(PoolSignal.class);
        QueueGroup group =
                QueueGroup.newBuilder()
                        .setRequestClass(RequestClass.BATCH)
                        .setSloBucketMs(1_700_000_600_000L)
                        .setEarliestDeadlineTsMs(1_700_000_600_000L)
                        .setRequests(40)
                        .setPromptTokens(12_000)
                        .build();
        PoolSignal pool =
                TestRecords.poolSignal(1_700_000_000_000L, 1_700_000_005_000L)
                        .setQueueGroups(List.of(group, group))
                        .build();
        assertThat(pools.decode(pools.encode(pool))).isEqualTo(pool);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(MalformedRecordException.class);
    }
}
