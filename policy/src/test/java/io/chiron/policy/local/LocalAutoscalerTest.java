package io.chiron.policy.local;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.Fixtures;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;
import io.chiron.records.ScalingDecision;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.chiron.policy.Fixtures.instance;
import static org.assertj.core.api.Assertions.assertThat;

class LocalAutoscalerTest {
    private final ChironConfig config = ChironConfig.defaults();
    private final LatencyModel shipped = new LatencyModel(GpuProfile.shipped());
    private final LocalAutoscaler local = new LocalAutoscaler(config, shipped, "chiron");

    /** State of an instance whose last decision (B) is applied. */
    private static LocalState applied(int b) {
        LocalState s = new LocalState();
        s.target = b;
        return s;
    }

    @Test
    void decreasesMultiplicativelyWhenItlExceedsTheSlo() {
        // b = 60 ms / 50 ms = 1.2 > 1 -> B = max(4, floor(0.7 * 100)) = 70.
        Optional<ScalingDecision> d =
                local.decide(instance("i", 100).setItlP95Ms(60).build(), applied(100));
        assertThat(d)
                .get()
                .satisfies(
                        x -> {
                            assertThat(x.getAction()).isEqualTo(DecisionAction.SET_BATCH_SIZE);
                            assertThat(x.getTarget()).isEqualTo(70);
                            assertThat(x.getPrevious()).isEqualTo(100);
                            assertThat(x.getReason()).contains("60.0 ms > SLO 50 ms");
                        });
    }

    @Test
    void increasesAdditivelyWhenFastSaturatedAndPaying() {
        // b = 30 / 50 = 0.6 < 0.8, running 95 >= 0.9 * 100 -> B = 100 + max(1, ceil(0.25*100)) =
        // 125.
        LocalState state = applied(100);
        Optional<ScalingDecision> d =
                local.decide(instance("i", 100).setItlP95Ms(30).setRunningMax(95).build(), state);
        assertThat(d).get().extracting(ScalingDecision::getTarget).isEqualTo(125);
        assertThat(state.throughputBeforeIncrease).isEqualTo(2_000);
    }

    @Test
    void doesNotIncreaseWhenNotSaturated() {
        // 80 running < 0.9 * 100: more room would not be used.
        assertThat(
                        local.decide(
                                instance("i", 100).setItlP95Ms(30).setRunningMax(80).build(),
                                applied(100)))
                .isEmpty();
    }

    @Test
    void holdsIncreasesForThePlateauHoldAfterAnIncreaseThatDidNotPay() {
        LocalState state = applied(125);
        state.throughputBeforeIncrease = 2_000;
        // 2,020 tokens/s is +1 % < epsilon 2 %: no increase, and none for 60 s.
        var signal = instance("i", 125).setItlP95Ms(30).setOutputTokensPerS(2_020).build();
        assertThat(local.decide(signal, state)).isEmpty();
        assertThat(state.holdUntilMs).isEqualTo(signal.getWindowEndMs() + 60_000);
        // 30 s later, the same fast and saturated instance still gets no increase.
        var later =
                instance("i", 125)
                        .setWindowStartMs(Fixtures.T0 + 30_000)
                        .setWindowEndMs(Fixtures.T0 + 35_000)
                        .setItlP95Ms(30)
                        .setOutputTokensPerS(2_020)
                        .build();
        assertThat(local.decide(later, state)).isEmpty();
    }

    @Test
    void increasesAgainWhenTheLastIncreasePaid() {
        LocalState state = applied(125);
        state.throughputBeforeIncrease = 2_000;
        // +10 % >= 2 %: 125 + ceil(0.25 * 125) = 125 + 32 = 157.
        var signal = instance("i", 125).setItlP95Ms(30).setOutputTokensPerS(2_200).build();
        assertThat(local.decide(signal, state))
                .get()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(157);
    }

    @Test
    void holdsOnStaleTelemetry() {
        // 2 heartbeats in a 5 s window of 1 s heartbeats: fewer than half, stale.
        assertThat(
                        local.decide(
                                instance("i", 100).setHeartbeats(2).setItlP95Ms(90).build(),
                                applied(100)))
                .isEmpty();
    }

    @Test
    void holdsUntilTheLastDecisionIsApplied() {
        // Asked for 70, the instance still reports 100: decide again only once it shows 70.
        assertThat(local.decide(instance("i", 100).setItlP95Ms(90).build(), applied(70))).isEmpty();
    }

    @Test
    void holdsForAnInstanceThatIsNotRunning() {
        var draining = instance("i", 100).setState(InstanceState.DRAINING).setItlP95Ms(90).build();
        assertThat(local.decide(draining, applied(100))).isEmpty();
    }

    @Test
    void setsTheInitialBatchSizeFromTheProfile() {
        // Idle interactive instance: SLO 50 ms, alpha 0.8 -> the largest B whose iteration, the
        // decode step of B sequences at context 1,024 (nothing runs to measure) plus a prefill
        // chunk of the rest of the 1,024-token budget, stays within 40 ms. On the H100 profile at
        // B = 302: decode 25.6 ms + prefill of 722 tokens 22.8 ms - the 8.48 ms weight read both
        // share = 39.9 ms; one more sequence adds more decode (0.054 ms) than the chunk it
        // displaces saves (0.025 ms). The decode step alone would allow all of batch-max 512.
        var idle =
                instance("i", 8)
                        .setRunningMean(0)
                        .setRunningMax(0)
                        .setItlSloMs(0)
                        .setRole(InstanceRole.INTERACTIVE)
                        .build();
        assertThat(shipped.largestBatchWithin(40, 1024, 512)).isEqualTo(512);
        assertThat(local.decide(idle, new LocalState()))
                .get()
                .satisfies(
                        d -> {
                            assertThat(d.getTarget()).isEqualTo(302);
                            assertThat(d.getReason()).contains("initial B from the profile");
                        });
    }

    @Test
    void theBatchSlotUsesTheBatchSloWhenOnlyBatchWorkRuns() {
        // Batch instance, B 100, ITL 300 ms: fine against 500 ms (b = 0.6), would be a violation
        // against 50 ms.
        var batch =
                instance("i", 100)
                        .setRole(InstanceRole.BATCH)
                        .setItlSloMs(500)
                        .setItlP95Ms(300)
                        .setRunningMax(95)
                        .build();
        assertThat(local.decide(batch, applied(100)))
                .get()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(125);
    }

    @Test
    void theKvCacheBoundsTheIncrease() {
        // 100 sequences fill 80 % of the cache: it holds 100/0.8 = 125; 90 % of that is 112.
        var full =
                instance("i", 100).setItlP95Ms(30).setRunningMean(100).setKvUtilMean(0.8).build();
        assertThat(local.decide(full, applied(100)))
                .get()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(112);
    }
}
