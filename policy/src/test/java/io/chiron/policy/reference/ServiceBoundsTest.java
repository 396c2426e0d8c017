package io.chiron.policy.reference;

import io.chiron.core.RoleCounts;
import io.chiron.policy.Fixtures;
import io.chiron.records.InstanceRole;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.chiron.policy.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ServiceBoundsTest {
    /**
     * The flat model: decode steps of 10 ms at any B and context (so the floor is 10 ms), prefill
     * f(1024) = 102.4 ms and f(2048) = 204.8 ms with no attention term. A KV cache of 16,000
     * tokens, the engine's largest B 1,024, chunks of 1,024 tokens.
     */
    private final ServiceBounds bounds =
            new ServiceBounds(Fixtures.flatModel(), 16_000, 1_024, 1_024);

    @Test
    void prefillCostsItsCheapestMarginalPerTokenPrice() {
        // (f(T) - floor) / T: (102.4 - 10) / 1024 = 0.0902, (204.8 - 10) / 2048 = 0.0951, and
        // beyond the last knot the slope 0.1: the cheapest is 0.090234375 ms per token.
        assertThat(bounds.prefillMsPerToken()).isCloseTo(0.090234375, within(1e-12));
    }

    @Test
    void decodeTokensCostTheStepOverTheLargestBatchTheKvCacheHolds() {
        // Prompt 1,000, output 5: the first token comes with the prefill, four decode at
        // contexts 1,000..1,003, all in the grid cell [992, 1024), priced at its lower end:
        // 16,000 / 992 -> B 16 -> 10 / 16 = 0.625 ms a token (the ITL bound of 50 ms allows any B
        // here). 4 x 0.625 = 2.5 ms, plus the prefill 1,000 x 0.090234375 = 90.234375 ms.
        assertThat(bounds.lowerBoundSeconds(1_000, 5, 50)).isCloseTo(0.092734375, within(1e-12));
        // Exactly, the tokens at contexts 1,001..1,003 fit only B 15 (0.667 ms): the grid
        // never prices a token above its exact cost.
        assertThat(bounds.lowerBoundSeconds(1_000, 5, 50) * 1000)
                .isLessThanOrEqualTo(90.234375 + 0.625 + 3 * 10.0 / 15);
    }

    @Test
    void aTighterItlBoundLeavesOnlySmallerBatches() {
        // With an ITL bound below the 10 ms step no B > 1 is allowed: 10 ms a token. Prompt 10,
        // output 3: prefill 0.90234375 ms, two decode tokens at 10 ms.
        assertThat(bounds.lowerBoundSeconds(10, 3, 5) * 1000)
                .isCloseTo(0.90234375 + 20, within(1e-9));
    }

    @Test
    void theLoadBoundSumsItsRequestsUnderTheirClassBounds() {
        // One interactive and one batch request of prompt 1,000 and output 5 (0.092734375 s each
        // under either ITL bound, which both allow the KV cache's B).
        Load load =
                new Load(
                        new long[] {T0, T0 + 1_000},
                        new boolean[] {true, false},
                        new int[] {1_000, 1_000},
                        new int[] {5, 5},
                        new long[] {0, T0 + 3_600_000});
        assertThat(bounds.lowerBoundGpuHours(load, 50, 500))
                .isCloseTo(2 * 0.092734375 / 3600, within(1e-15));
    }

    @Test
    void aRequestIsFeasibleWhenItsBoundsHoldAloneOnAnIdleInstance() {
        // Prompt 2,048 in two chunks of 1,024: TTFT alone 2 x 102.4 = 204.8 ms; ITL alone 10 ms.
        assertThat(bounds.aloneTtftMs(2_048)).isCloseTo(204.8, within(1e-9));
        assertThat(bounds.interactiveFeasible(2_048, 100, 2_000, 50)).isTrue();
        assertThat(bounds.interactiveFeasible(2_048, 100, 200, 50)).isFalse();
        assertThat(bounds.interactiveFeasible(2_048, 100, 2_000, 9)).isFalse();
        // Batch, output 101: 204.8 + 100 x 10 = 1,204.8 ms of service.
        assertThat(bounds.batchFeasible(2_048, 101, 1_300, 500)).isTrue();
        assertThat(bounds.batchFeasible(2_048, 101, 1_200, 500)).isFalse();
    }

    private HindsightPolicy hundredRequests() {
        int n = 100;
        long[] at = new long[n];
        boolean[] interactive = new boolean[n];
        int[] prompt = new int[n];
        int[] output = new int[n];
        for (int i = 0; i < n; i++) {
            at[i] = T0 + i * 10L;
            interactive[i] = true;
            prompt[i] = 100;
            output[i] = 1_000;
        }
        return new HindsightPolicy(
                "hindsight",
                new Load(at, interactive, prompt, output, new long[n]),
                T0,
                600_000,
                Fixtures.flatModel(),
                new HindsightPolicy.Settings(
                        500, 500, 0.8, 60_000, 60_000, 512, 16_000, 64, 1_024));
    }

    @Test
    void hindsightSetsItsBatchSizeAndProvisionsAheadThenLetsGo() {
        HindsightPolicy h = hundredRequests();
        // At 5 s the fleet shows 1 INTERACTIVE instance at B 256 and 1 BATCH one: the busiest
        // second ahead needs 5 interactive (see below) and no batch instance; the instance is
        // set to B 26. Decreases come first.
        var pool =
                Fixtures.pool(T0 + 5_000).setInstancesInteractive(1).setInstancesBatch(1).build();
        var decisions = h.decide(List.of(Fixtures.instance("i", 256).build()), pool);
        assertThat(decisions)
                .extracting(d -> d.getAction() + " " + d.getRole() + " " + d.getTarget())
                .containsExactly(
                        "SET_BATCH_SIZE null 26",
                        "SET_REPLICAS BATCH 0",
                        "SET_REPLICAS INTERACTIVE 5");
        // Ten minutes on, every request long done (10 s of service each): back to one.
        var later =
                Fixtures.pool(T0 + 600_000).setInstancesInteractive(5).setInstancesBatch(0).build();
        assertThat(h.decide(List.of(), later))
                .singleElement()
                .satisfies(d -> assertThat(d.getTarget()).isEqualTo(1));
    }

    @Test
    void hindsightProvisionsTheBusiestSecondAheadAtItsPacking() {
        // 100 interactive requests in the first second, prompt 100, output 1,000: mean context
        // 600, so B = min(512, 16,000 / 600 = 26): with an ITL bound of 500 ms every iteration
        // (10 ms decode plus a 102.4 ms chunk less the 10 ms floor) meets 0.8 x 500 ms.
        // Work each: prefill 100 x (102.4 - 10) / 1,024 = 9.02 ms + 999 x 10 / 26 = 384.23 ms,
        // 393.25 ms over its 10 s of service (1,000 tokens at 10 ms): 0.0393 instances each,
        // 3.93 for all, / 0.8 = 4.9 -> 5.
        HindsightPolicy h = hundredRequests();
        assertThat(h.batchSize(InstanceRole.INTERACTIVE)).isEqualTo(26);
        assertThat(h.initialRoles(0)).isEqualTo(RoleCounts.of(5, 0, 0));
        assertThat(h.peakInstances()).isEqualTo(5);
    }
}
