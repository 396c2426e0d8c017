package io.chiron.app;

import io.chiron.app.chaos.Campaign;
import io.chiron.app.chaos.ChaosResult;
import io.chiron.app.chaos.Fault;
import io.chiron.app.chaos.Faults;
import io.chiron.app.replay.Recording;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.fleet.workload.Scenario;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cheap scenarios of {@code chiron chaos} as regression tests (issue 18): each of these stopped
 * the job for good, dropped valid telemetry or made decisions the clean run does not, before the
 * bounds, the event-time guard and the restart strategy. The 12-minute broker outage is left to the
 * command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosITCase {
    private EmbeddedStack stack;
    private Campaign campaign;
    private ChaosResult clean;

    @BeforeAll
    void cleanRun() throws Exception {
        stack = EmbeddedStack.start(2, Map.of());
        // Mixed load at x20 for 4 minutes: replica and batch-size decisions to compare.
        Recording recording =
                Recording.of("azure-conv", Scenario.MIXED, 20, Duration.ofMinutes(4), 1);
        campaign = new Campaign(stack, recording, line -> {});
        clean = campaign.clean();
        assertThat(clean.passed()).isTrue();
        assertThat(clean.decisions()).isGreaterThan(5);
        assertThat(clean.deadLetters()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        stack.close();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "malformed",
                "poison-long-id",
                "poison-kafka-ts-0",
                "poison-clock-ahead",
                "group-flood",
                "taskmanager-lost",
                "stale-half",
                "broker-stop-30s"
            })
    void theJobMakesTheCleanRunsDecisionsDespiteTheFault(String name) throws Exception {
        Fault fault =
                Faults.all().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
        ChaosResult r = campaign.run(fault);
        assertThat(r.jobStateAtEnd()).isEqualTo("FINISHED");
        assertThat(r.passed()).isTrue();
        if (name.equals("stale-half")) {
            return; // its telemetry differs from the clean run's; passed: no scale-in applied
        }
        assertThat(r.decisions()).isEqualTo(clean.decisions());
        assertThat(r.decisionsMissing()).isZero();
        assertThat(r.decisionsExtra()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.actuationsMissing()).isZero();
        // Every bad record is one dead letter; no valid one is turned away.
        assertThat(r.deadLetters()).isEqualTo(r.malformedSent());
        assertThat(r.passed()).isTrue();
        if (name.equals("malformed")) {
            assertThat(r.malformedSent()).isEqualTo(18L * 560); // at least 10,000, issue 18
        }
        if (name.equals("taskmanager-lost")) {
            assertThat(r.jobRestarts()).isPositive();
        }
    }
}
