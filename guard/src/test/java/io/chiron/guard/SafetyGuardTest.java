package io.chiron.guard;

import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceRole;
import io.chiron.records.ScalingDecision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SafetyGuardTest {
    private static final long T = 1_700_000_000_000L;
    private static final long NO_WATERMARK = Long.MIN_VALUE;

    private final GuardConfig config = GuardConfig.defaults();
    private final SafetyGuard guard = new SafetyGuard(config);
    private final InMemoryGuardMemory memory = new InMemoryGuardMemory();

    static ScalingDecision replicas(String id, long ts, int previous, int target) {
        return ScalingDecision.newBuilder()
                .setDecisionId(id)
                .setTsMs(ts)
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

    static ScalingDecision batchSize(String id, long ts, String instance, int target) {
        return ScalingDecision.newBuilder(replicas(id, ts, 0, target))
                .setAction(DecisionAction.SET_BATCH_SIZE)
                .setInstanceId(instance)
                .setRole(null)
                .build();
    }

    private SafetyGuard.Verdict check(ScalingDecision d) throws Exception {
        return guard.check(d, NO_WATERMARK, memory);
    }

    @Test
    void appliesADecisionWithinBounds() throws Exception {
        assertThat(check(replicas("a", T, 2, 5)))
                .isEqualTo(
                        new SafetyGuard.Verdict(
                                SafetyGuard.Outcome.APPLY,
                                5,
                                "within bounds",
                                SafetyGuard.Rule.NONE));
    }

    @Test
    void neverActsTwiceOnOneDecision() throws Exception {
        check(replicas("a", T, 2, 5));
        assertThat(check(replicas("a", T, 2, 5)).reason()).contains("duplicate");
    }

    /**
     * The guard remembers handled decisions for as long as any rule looks back (10 minutes here)
     * and sweeps them once an event-time minute, so memory stays bounded without a walk over every
     * remembered decision per decision.
     */
    @Test
    void remembersDecisionsForTheHorizonAndSweepsOnceAMinute() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            check(batchSize("b" + i, T, "i" + i, 8));
        }
        assertThat(memory.handledCount()).isEqualTo(1_000);
        // Nine minutes later the decisions are still remembered: a replay is a duplicate.
        assertThat(check(batchSize("b7", T + 540_000, "i7", 8)).reason()).contains("duplicate");
        // Eleven minutes later one sweep forgets the thousand; the next decisions of the same
        // minute do not sweep again.
        check(batchSize("late-1", T + 660_000, "i1", 8));
        assertThat(memory.handledCount()).isEqualTo(1);
        assertThat(memory.forgottenBefore()).isEqualTo(T + 60_000);
        check(batchSize("late-2", T + 700_000, "i2", 8));
        assertThat(memory.forgottenBefore()).isEqualTo(T + 60_000);
        assertThat(memory.handledCount()).isEqualTo(2);
    }

    @Test
    void rejectsReplicasOutsideTheRolesBounds() throws Exception {
        config.maxReplicas = config.maxReplicas.with(InstanceRole.BATCH, 8);
        assertThat(check(replicas("a", T, 6, 9)).reason())
                .contains("9 BATCH instances outside [0, 8]");
    }

    @Test
    void cutsAStepLargerThanTheMaximum() throws Exception {
        // max-step 16: from 2 towards 40 goes to 18 this time.
        SafetyGuard.Verdict v = check(replicas("a", T, 2, 40));
        assertThat(v.allowed()).isTrue();
        assertThat(v.value()).isEqualTo(18);
        assertThat(v.reason()).contains("set to 18 instead of 40");
    }

    @Test
    void dropsADecisionTooFarBehindTheWatermark() throws Exception {
        // max-age 2 min: decided 3 min before the watermark.
        SafetyGuard.Verdict v = guard.check(replicas("a", T, 2, 3), T + 180_000, memory);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).contains("stale").contains("180 s behind");
    }

    @Test
    void neverScalesInOnStaleTelemetry() throws Exception {
        ScalingDecision in =
                ScalingDecision.newBuilder(replicas("a", T, 5, 4))
                        .setInputs(Map.of("stale_instances", 2.0))
                        .build();
        assertThat(check(in).reason()).contains("stale telemetry").contains("2 instance(s)");
        ScalingDecision out =
                ScalingDecision.newBuilder(replicas("b", T, 5, 6))
                        .setInputs(Map.of("stale_instances", 2.0))
                        .build();
        assertThat(check(out).allowed()).as("scale-out stays allowed").isTrue();
    }

    @Test
    void resolvesConflictsTheSafeWayWhateverTheirOrder() throws Exception {
        // Two decisions for BATCH at the same time: 6 and 4 replicas. More replicas is safer.
        assertThat(check(replicas("x", T, 5, 4)).allowed()).isTrue();
        assertThat(check(replicas("y", T, 5, 6)).value()).isEqualTo(6);
        InMemoryGuardMemory other = new InMemoryGuardMemory();
        assertThat(guard.check(replicas("y", T, 5, 6), NO_WATERMARK, other).allowed()).isTrue();
        assertThat(guard.check(replicas("x", T, 5, 4), NO_WATERMARK, other).reason())
                .contains("conflicts with decision y");
        // For a batch size, the smaller one is safer.
        assertThat(check(batchSize("p", T, "i", 64)).allowed()).isTrue();
        assertThat(check(batchSize("q", T, "i", 96)).allowed()).isFalse();
        assertThat(check(batchSize("r", T, "i", 32)).value()).isEqualTo(32);
    }

    @Test
    void noReversalWithinTheCooldown() throws Exception {
        assertThat(check(replicas("up", T, 2, 4)).allowed()).isTrue();
        // 20 s later, back down: inside the 30 s cooldown.
        assertThat(check(replicas("down", T + 20_000, 4, 3)).reason()).contains("cooldown");
        // Up again is no reversal.
        assertThat(check(replicas("up2", T + 25_000, 4, 5)).allowed()).isTrue();
        // 40 s after the last change: down is fine.
        assertThat(check(replicas("down2", T + 65_000, 5, 4)).allowed()).isTrue();
    }

    @Test
    void limitsReplicaActionsPerMinute() throws Exception {
        config.maxActionsPerMinute = 3;
        for (int k = 0; k < 3; k++) {
            assertThat(check(replicas("a" + k, T + k * 1_000L, 2 + k, 3 + k)).allowed()).isTrue();
        }
        assertThat(check(replicas("a3", T + 3_000, 5, 6)).reason()).contains("rate limit");
        // A minute after the first, one slot is free again.
        assertThat(check(replicas("a4", T + 60_000, 5, 6)).allowed()).isTrue();
    }

    @Test
    void dryRunRecordsWithoutApplying() throws Exception {
        config.dryRun = true;
        SafetyGuard.Verdict v = check(replicas("a", T, 2, 5));
        assertThat(v.outcome()).isEqualTo(SafetyGuard.Outcome.DRY_RUN);
        assertThat(v.value()).isEqualTo(5);
    }

    @Test
    void theKillSwitchStopsEverything(@TempDir Path dir) throws Exception {
        Path kill = dir.resolve("stop");
        config.killSwitchFile = kill.toString();
        assertThat(check(replicas("a", T, 2, 5)).allowed()).isTrue();
        Files.createFile(kill);
        assertThat(check(replicas("b", T + 1, 5, 6)).reason()).contains("kill switch");
        Files.delete(kill);
        assertThat(check(replicas("c", T + 2, 5, 6)).allowed()).isTrue();
    }

    @Test
    void rejectsABatchSizeOutsideTheBoundsOrWithoutAnInstance() throws Exception {
        assertThat(check(batchSize("a", T, "i", 0)).reason()).contains("outside [1, 1024]");
        assertThat(check(batchSize("b", T, null, 8)).reason()).contains("without an instance");
        assertThat(check(batchSize("c", T, "i", 8)).allowed()).isTrue();
    }
}
