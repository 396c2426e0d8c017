package io.chiron.actuator;

import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceRole;
import io.chiron.records.ScalingDecision;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyGuardTest {
    private final GuardConfig config = GuardConfig.defaults();
    private final SafetyGuard guard = new SafetyGuard(config);

    static ScalingDecision replicas(String id, int previous, int target) {
        return ScalingDecision.newBuilder()
                .setDecisionId(id)
                .setTsMs(0)
                .setPolicy("chiron")
                .setModel("m")
                .setAction(DecisionAction.SET_REPLICAS)
                .setInstanceId(null)
                .setRole(InstanceRole.BATCH)
                .setTarget(target)
                .setPrevious(previous)
                .setReason("test")
                .setInputs(Map.of())
                .build();
    }

    static ScalingDecision batchSize(String id, String instance, int target) {
        return ScalingDecision.newBuilder(replicas(id, 0, target))
                .setAction(DecisionAction.SET_BATCH_SIZE)
                .setInstanceId(instance)
                .setRole(null)
                .build();
    }

    @Test
    void allowsADecisionWithinBounds() {
        assertThat(guard.check(replicas("a", 2, 5)))
                .isEqualTo(new SafetyGuard.Verdict(true, 5, "within bounds"));
    }

    @Test
    void neverActsTwiceOnOneDecision() {
        guard.check(replicas("a", 2, 5));
        SafetyGuard.Verdict again = guard.check(replicas("a", 2, 5));
        assertThat(again.allowed()).isFalse();
        assertThat(again.reason()).contains("duplicate");
    }

    @Test
    void rejectsReplicasOutsideTheBounds() {
        SafetyGuard.Verdict v = guard.check(replicas("a", 60, 65));
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).contains("65 BATCH instances outside [0, 64]");
    }

    @Test
    void cutsAStepLargerThanTheMaximum() {
        // max-step 16: from 2 towards 40 goes to 18 this time.
        SafetyGuard.Verdict v = guard.check(replicas("a", 2, 40));
        assertThat(v.allowed()).isTrue();
        assertThat(v.value()).isEqualTo(18);
        assertThat(v.reason()).contains("set to 18 instead of 40");
    }

    @Test
    void rejectsABatchSizeOutsideTheBoundsOrWithoutAnInstance() {
        assertThat(guard.check(batchSize("a", "i", 0)).reason()).contains("outside [1, 1024]");
        assertThat(guard.check(batchSize("b", null, 8)).reason()).contains("without an instance");
        assertThat(guard.check(batchSize("c", "i", 8)).allowed()).isTrue();
    }
}
