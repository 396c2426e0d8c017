package io.chiron.policy.global;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.chiron.policy.Fixtures.T0;
import static io.chiron.policy.Fixtures.batchGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class WaitingTimeEstimatorTest {

    @Test
    void waitIsTheMeanPlusTheCltMargin() {
        // N = 10,000, mu = 2 s, sigma = 1 s, z = 2.33, m = 4:
        // (10,000 * 2 + 2.33 * 100 * 1) / 4 = (20,000 + 233) / 4 = 5,058.25 s.
        assertThat(WaitingTimeEstimator.waitSeconds(10_000, 2, 1, 2.33, 4))
                .isCloseTo(5_058.25, within(1e-9));
    }

    @Test
    void theMarginShrinksRelativelyAsTheQueueGrows() {
        double small = WaitingTimeEstimator.waitSeconds(100, 1, 1, 2.33, 1) / 100;
        double large = WaitingTimeEstimator.waitSeconds(1_000_000, 1, 1, 2.33, 1) / 1_000_000;
        // 1 + 2.33/10 = 1.233 per request vs 1 + 2.33/1000 = 1.00233.
        assertThat(small).isCloseTo(1.233, within(1e-9));
        assertThat(large).isCloseTo(1.00233, within(1e-9));
    }

    @Test
    void walksGroupsEarliestDeadlineFirstAndReturnsTheBindingOne() {
        // T(B) = 10,000 tok/s, mu = 100 tokens, no prompts: 0.01 instance-s per request.
        // Group A: 50,000 due in 620 s -> 500 s of work over 620 - 120 = 500 s budget -> 1.0.
        // Group B: 50,000 more due in 720 s -> cumulative 1,000 s over 600 s -> 1.667: binds.
        var a = batchGroup(T0 + 620_000, 50_000, 0);
        var b = batchGroup(T0 + 720_000, 50_000, 0);
        var need =
                WaitingTimeEstimator.required(
                        List.of(a, b), T0, 1e-4, 100, 0, 10_000, 2.33, 120, 64);
        assertThat(need.instances()).isCloseTo(1_000.0 / 600, within(1e-9));
        assertThat(need.binding()).isEqualTo(b);
        assertThat(need.feasible()).isTrue();
    }

    @Test
    void aDeadlineInsideTheReserveIsInfeasible() {
        var soon = batchGroup(T0 + 60_000, 10, 0);
        var need =
                WaitingTimeEstimator.required(
                        List.of(soon), T0, 1e-4, 100, 0, 10_000, 2.33, 120, 64);
        assertThat(need.feasible()).isFalse();
        assertThat(need.instances()).isEqualTo(64);
    }

    @Test
    void promptsCountAtThePrefillCost() {
        // 1,000 requests with 1,000 prompt tokens each at 0.1 ms/token: 100 s of prefill, plus
        // 1,000 * 100 / 10,000 = 10 s of decode = 110 s over a 110 s budget -> 1.0 instance.
        var g = batchGroup(T0 + 230_000, 1_000, 1_000_000);
        var need =
                WaitingTimeEstimator.required(List.of(g), T0, 1e-4, 100, 0, 10_000, 2.33, 120, 64);
        assertThat(need.instances()).isCloseTo(1.0, within(1e-9));
    }
}
