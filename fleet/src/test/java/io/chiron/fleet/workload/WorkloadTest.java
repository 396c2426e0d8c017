package io.chiron.fleet.workload;

import io.chiron.fleet.trace.Trace;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkloadTest {
    private static final Trace CONV = Trace.load("azure-conv");

    @Test
    void anIntegerMultiplierSuperposesThatManyCopies() {
        // One period of the trace: its duration plus one mean gap (3,501.7 s / 19,365 = 180 ms).
        Duration hour = Duration.ofMillis(CONV.durationMs() + 1);
        Workload x1 = Workload.build(CONV, WorkloadSpec.of(Scenario.INTERACTIVE, 1, hour, 1));
        Workload x3 = Workload.build(CONV, WorkloadSpec.of(Scenario.INTERACTIVE, 3, hour, 1));
        assertThat(x1.size()).isEqualTo(19_366);
        assertThat(x3.size()).isEqualTo(3 * 19_366);
    }

    @Test
    void arrivalsAreInTimeOrderWithinTheDuration() {
        Workload w =
                Workload.build(
                        CONV, WorkloadSpec.of(Scenario.MIXED, 2.5, Duration.ofMinutes(40), 9));
        for (int i = 1; i < w.size(); i++) {
            assertThat(w.arrivalMs(i)).isGreaterThanOrEqualTo(w.arrivalMs(i - 1));
        }
        assertThat(w.arrivalMs(w.size() - 1)).isLessThan(w.endEpochMs());
    }

    @Test
    void theSameSeedGivesTheSameWorkloadAndAnotherSeedAnother() {
        WorkloadSpec spec = WorkloadSpec.of(Scenario.INTERACTIVE, 1.5, Duration.ofMinutes(30), 7);
        Workload a = Workload.build(CONV, spec);
        Workload b = Workload.build(CONV, spec);
        Workload c =
                Workload.build(
                        CONV,
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1.5, Duration.ofMinutes(30), 8));
        assertThat(a.size()).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.arrivalMs(i)).isEqualTo(b.arrivalMs(i));
            assertThat(a.promptTokens(i)).isEqualTo(b.promptTokens(i));
        }
        assertThat(c.size()).isNotEqualTo(a.size());
    }

    @Test
    void theMixedScenarioAddsBatchBulksWithDeadlines() {
        // Two hours, bulks of 1,000 x 2 at 1 min and every 15 min: 1, 16, ..., 106 -> 8 bulks.
        Workload w =
                Workload.build(CONV, WorkloadSpec.of(Scenario.MIXED, 2, Duration.ofHours(2), 3));
        int batch = 0;
        for (int i = 0; i < w.size(); i++) {
            if (!w.interactive(i)) {
                batch++;
                assertThat(w.deadlineMs(i) - w.arrivalMs(i))
                        .isEqualTo(Duration.ofHours(1).toMillis());
            } else {
                assertThat(w.deadlineMs(i)).isZero();
            }
        }
        assertThat(batch).isEqualTo(8 * 2_000);
    }

    @Test
    void theTraceRepeatsToFillALongerDuration() {
        // The trace's period: its duration plus one mean gap; two periods hold it twice.
        long period = CONV.durationMs() + CONV.durationMs() / (CONV.size() - 1);
        Duration twice = Duration.ofMillis(2 * period);
        Workload w = Workload.build(CONV, WorkloadSpec.of(Scenario.INTERACTIVE, 1, twice, 1));
        assertThat(w.size()).isEqualTo(2 * 19_366);
    }

    @Test
    void rejectsANonPositiveMultiplierNamingIt() {
        assertThatThrownBy(() -> WorkloadSpec.of(Scenario.INTERACTIVE, 0, Duration.ofHours(1), 1))
                .hasMessageContaining("rate multiplier")
                .hasMessageContaining("0.0");
    }

    @Test
    void rejectsAnUnknownScenarioListingTheAllowedOnes() {
        assertThatThrownBy(() -> Scenario.parse("chaos"))
                .hasMessageContaining("chaos")
                .hasMessageContaining("interactive")
                .hasMessageContaining("mixed");
    }
}
