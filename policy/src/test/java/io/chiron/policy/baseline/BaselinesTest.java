package io.chiron.policy.baseline;

import io.chiron.core.RoleCounts;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.chiron.policy.Fixtures.T0;
import static io.chiron.policy.Fixtures.batchGroup;
import static io.chiron.policy.Fixtures.instance;
import static io.chiron.policy.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BaselinesTest {
    /** KV capacity of 16,000 tokens: 1,000 blocks of 16 per instance. */
    private static final long KV = 16_000;

    private static PoolSignal mixedPool(long end, int instances) {
        return pool(end)
                .setInstancesInteractive(0)
                .setInstancesBatch(0)
                .setInstancesMixed(instances)
                .build();
    }

    private static InstanceSignal mixed(String id, double kvUtil, double running, int b) {
        return instance(id, b)
                .setRole(InstanceRole.MIXED)
                .setKvUtilMean(kvUtil)
                .setRunningMean(running)
                .build();
    }

    @Test
    void llumnixScalesOutWhenAverageFreenessFallsBelowTheThreshold() {
        LlumnixPolicy llumnix = new LlumnixPolicy("llumnix-untuned", 10, 60, KV, 1, 64);
        // Two instances at 95 % KV use with 10 running each: (1,000 * 0.05) / 10 = 5 blocks per
        // request < 10 -> one more.
        List<ScalingDecision> d =
                llumnix.decide(
                        List.of(mixed("a", 0.95, 10, 64), mixed("b", 0.95, 10, 64)),
                        mixedPool(T0, 2));
        assertThat(d)
                .singleElement()
                .satisfies(
                        x -> {
                            assertThat(x.getTarget()).isEqualTo(3);
                            assertThat(x.getInputs().get("freeness")).isCloseTo(5.0, within(1e-9));
                        });
    }

    @Test
    void llumnixCountsTheQueuedPromptsAgainstTheFreeBlocks() {
        LlumnixPolicy llumnix = new LlumnixPolicy("llumnix-untuned", 10, 60, KV, 1, 64);
        // 50 % use, 10 running: 500 free blocks, 50 per request -- fine alone. 20 queued requests
        // with 4,800 prompt tokens (300 blocks) spread over 2: (500 - 150) / (10 + 10) = 17.5.
        PoolSignal p =
                pool(T0).setInstancesInteractive(0)
                        .setInstancesBatch(0)
                        .setInstancesMixed(2)
                        .setQueueBatch(20)
                        .setQueueGroups(List.of(batchGroup(T0 + 3_600_000, 20, 4_800)))
                        .build();
        List<ScalingDecision> d =
                llumnix.decide(List.of(mixed("a", 0.5, 10, 64), mixed("b", 0.5, 10, 64)), p);
        // 17.5 >= 10: no scale-out; with one fewer: (1,000 - 1,000 - 300) / 40 < 60: no scale-in.
        assertThat(d).isEmpty();
    }

    @Test
    void llumnixScalesInWhenOneFewerStillLeavesEnoughFreeness() {
        LlumnixPolicy llumnix = new LlumnixPolicy("llumnix-untuned", 10, 60, KV, 1, 64);
        // Three instances at 10 % use with 2 running: one fewer leaves (2,700 - 1,000) / 6 = 283.
        List<ScalingDecision> d =
                llumnix.decide(
                        List.of(
                                mixed("a", 0.1, 2, 64),
                                mixed("b", 0.1, 2, 64),
                                mixed("c", 0.1, 2, 64)),
                        mixedPool(T0, 3));
        assertThat(d).singleElement().extracting(ScalingDecision::getTarget).isEqualTo(2);
    }

    @Test
    void hpaScalesToCurrentTimesUtilizationOverTarget() {
        HpaPolicy hpa = new HpaPolicy(0.7, 1, 64);
        // 4 pods, 56 of 64 running each, nothing queued: utilization 0.875, ratio 1.25 ->
        // ceil(4 * 1.25) = 5.
        List<InstanceSignal> pods =
                List.of(
                        mixed("a", 0, 56, 64),
                        mixed("b", 0, 56, 64),
                        mixed("c", 0, 56, 64),
                        mixed("d", 0, 56, 64));
        assertThat(hpa.decide(pods, mixedPool(T0, 4)))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(5);
    }

    @Test
    void hpaKeepsTheHighestDesireOfTheLastFiveMinutesWhenScalingDown() {
        HpaPolicy hpa = new HpaPolicy(0.7, 1, 64);
        List<InstanceSignal> busy = List.of(mixed("a", 0, 64, 64), mixed("b", 0, 64, 64));
        // ratio 1 / 0.7 = 1.43 -> ceil(2 * 1.43) = 3.
        assertThat(hpa.decide(busy, mixedPool(T0, 2)))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(3);
        List<InstanceSignal> idle =
                List.of(mixed("a", 0, 1, 64), mixed("b", 0, 1, 64), mixed("c", 0, 1, 64));
        // A minute later, nearly idle: desired 1, but 3 was desired within 5 minutes.
        assertThat(hpa.decide(idle, mixedPool(T0 + 60_000, 3))).isEmpty();
        // Six minutes after the busy window the 3 has aged out: down to 1.
        assertThat(hpa.decide(idle, mixedPool(T0 + 360_000, 3)))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(1);
    }

    @Test
    void kpaPanicsWhenConcurrencyAsksForTwiceTheInstances() {
        KpaPolicy kpa = new KpaPolicy(90, 1, 64);
        // 1 instance, 400 requests in flight: ceil(400 / 90) = 5 >= 2 -> panic, straight to 5.
        PoolSignal burst =
                PoolSignal.newBuilder(mixedPool(T0, 1))
                        .setRunningInteractive(100)
                        .setQueueInteractive(300)
                        .build();
        assertThat(kpa.decide(List.of(mixed("a", 0, 100, 128)), burst))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(5);
    }

    @Test
    void theStaticPolicyNeverDecides() {
        assertThat(new StaticPolicy().decide(List.of(), mixedPool(T0, 3))).isEmpty();
        assertThat(new StaticPolicy().initialRoles(7)).isEqualTo(RoleCounts.mixed(7));
    }

    @Test
    void hpaSetsStartingPodsAsideInsteadOfMultiplyingTheLoadByThem() {
        HpaPolicy hpa = new HpaPolicy(0.7, 1, 64);
        // 2 ready pods full (64 of 64), 4 more starting (spec 6). Over ready pods the ratio is
        // 1 / 0.7 = 1.43; counting the 4 not-ready pods at 0 %: 2 / 6 / 0.7 = 0.48, which no
        // longer asks for more -> hold. (Multiplying the spec by 1.43 would ask for 9.)
        PoolSignal p = PoolSignal.newBuilder(mixedPool(T0, 2)).setProvisioningMixed(4).build();
        assertThat(hpa.decide(List.of(mixed("a", 0, 64, 64), mixed("b", 0, 64, 64)), p)).isEmpty();
    }

    @Test
    void hpaScalesUpAtMostByTheDefaultPoliciesPerPeriod() {
        HpaPolicy hpa = new HpaPolicy(0.7, 1, 64);
        // One pod, 64 running and 1,000 queued, B 64: utilization (64 + 1,000) / 64 = 16.6,
        // ratio 23.75 -> desired 24; the default policies allow max(100 % = +1, 4 pods) per
        // 15 s: 1 + 4 = 5.
        PoolSignal p = PoolSignal.newBuilder(mixedPool(T0, 1)).setQueueInteractive(1_000).build();
        assertThat(hpa.decide(List.of(mixed("a", 0, 64, 64)), p))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getTarget()).isEqualTo(5);
                            assertThat(d.getInputs().get("desired")).isEqualTo(24.0);
                        });
    }

    @Test
    void aRoleSplitBaselineScalesEachPoolOnItsOwnClass() {
        RoleSplitPolicy split = RoleSplitPolicy.of(() -> new HpaPolicy(0.7, 1, 64));
        // Interactive pool: 1 pod at 64 of 64 plus the 500 queued interactive requests:
        // (64 + 500) / 64 = 8.8, ratio 12.6 -> desired 13, limited to 1 + 4 = 5 INTERACTIVE.
        // Batch pool: 1 pod with 4 running of 64 and no batch queue (the interactive queue is
        // not its load): utilization 0.0625, ratio 0.09 -> desired 1 = current: nothing.
        PoolSignal p =
                pool(T0).setInstancesInteractive(1)
                        .setInstancesMixed(1)
                        .setInstancesBatch(1)
                        .setQueueInteractive(500)
                        .build();
        List<InstanceSignal> pods =
                List.of(
                        instance("i", 64).setRunningMean(64).build(),
                        instance("b", 64).setRole(InstanceRole.BATCH).setRunningMean(4).build());
        assertThat(split.name()).isEqualTo("hpa-pools");
        assertThat(split.decide(pods, p))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getRole()).isEqualTo(InstanceRole.INTERACTIVE);
                            assertThat(d.getTarget()).isEqualTo(5);
                        });
        assertThat(split.initialRoles(10)).isEqualTo(RoleCounts.of(6, 2, 2));
    }

    @Test
    void staticTunedSetsEveryInstanceToItsBatchSizeOnce() {
        StaticPolicy tuned = new StaticPolicy("static-tuned", 300);
        List<InstanceSignal> pods = List.of(mixed("a", 0, 1, 256), mixed("b", 0, 1, 300));
        // a runs 256: one decision to 300; b is at 300 already.
        assertThat(tuned.decide(pods, mixedPool(T0, 2)))
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getInstanceId()).isEqualTo("a");
                            assertThat(d.getTarget()).isEqualTo(300);
                        });
        // The command is in flight: not asked again while the signal still shows 256.
        assertThat(tuned.decide(pods, mixedPool(T0 + 5_000, 2))).isEmpty();
    }
}
