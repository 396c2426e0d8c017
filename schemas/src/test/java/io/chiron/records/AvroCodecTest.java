package io.chiron.records;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
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
    void rejectsNull() {
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(MalformedRecordException.class);
    }
}
