package io.chiron.app;

import io.chiron.app.demo.Demo;
import io.chiron.app.demo.DemoOptions;
import io.chiron.fleet.kafka.ClosedLoopFleet;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.CommandType;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole loop on the embedded stack: fleet telemetry reaches Flink, Flink computes signals and
 * decisions from it, the actuator turns them into commands, the fleet obeys them and its batch
 * sizes and instance count change. Each assertion fails when one link is cut.
 */
class ClosedLoopITCase {
    private static Demo.Result result;

    @BeforeAll
    static void runTheLoop(@TempDir Path out) throws Exception {
        // Under-provisioned on purpose (one interactive, one mixed instance for ten times the
        // conversation trace's rate, plus a batch bulk due in ten minutes): the policy must
        // change batch sizes and add instances within four simulated minutes.
        DemoOptions options =
                DemoOptions.defaults().withSimulated(Duration.ofMinutes(4)).withOut(out);
        result = Demo.run(options, fleet -> {});
    }

    @Test
    void telemetryReachedFlinkAndBecameSignals() {
        Set<String> reporting =
                result.instanceSignals().stream()
                        .map(InstanceSignal::getInstanceId)
                        .collect(Collectors.toSet());
        // The two instances the fleet starts with, named by the fleet, reported through Flink.
        assertThat(reporting).contains("llama3-8b-000", "llama3-8b-001");
        assertThat(result.instanceSignals())
                .anySatisfy(s -> assertThat(s.getOutputTokens()).isPositive());
        // The pool windows saw the batch bulk queue up (arrivals minus admissions, per group).
        assertThat(result.poolSignals())
                .extracting(PoolSignal::getQueueBatch)
                .anyMatch(q -> q > 1000);
        assertThat(result.deadLetters()).isEmpty();
    }

    @Test
    void decisionsWereComputedFromTheSignals() {
        assertThat(result.decisions(DecisionAction.SET_BATCH_SIZE)).isPositive();
        assertThat(result.decisions(DecisionAction.SET_REPLICAS)).isPositive();
        assertThat(result.decisions())
                .allSatisfy(d -> assertThat(d.getReason()).isNotBlank())
                .allSatisfy(d -> assertThat(d.getInputs()).isNotEmpty());
        // Decisions are about instances that exist in the telemetry.
        Set<String> reporting =
                result.instanceSignals().stream()
                        .map(InstanceSignal::getInstanceId)
                        .collect(Collectors.toSet());
        assertThat(result.decisions())
                .filteredOn(d -> d.getAction() == DecisionAction.SET_BATCH_SIZE)
                .extracting(ScalingDecision::getInstanceId)
                .allMatch(reporting::contains);
    }

    @Test
    void everyDecisionWasActuatedOrRejectedAndRecordedOnce() {
        // The guard may reject a decision (a reversal within its cooldown, say); either way each
        // decision has exactly one outcome, and a rejection says why.
        assertThat(result.actuations())
                .extracting(ActuationResult::getDecisionId)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(
                        result.decisions().stream().map(ScalingDecision::getDecisionId).toList());
        assertThat(result.actuations())
                .allSatisfy(
                        a ->
                                assertThat(a.getStatus())
                                        .isIn(ActuationStatus.APPLIED, ActuationStatus.REJECTED))
                .filteredOn(a -> a.getStatus() == ActuationStatus.REJECTED)
                .allSatisfy(a -> assertThat(a.getReason()).isNotBlank());
        assertThat(result.actuations())
                .filteredOn(a -> a.getStatus() == ActuationStatus.APPLIED)
                .isNotEmpty();
    }

    @Test
    void commandsReachedTheFleetAndChangedIt() {
        Set<String> applied =
                result.applied().stream()
                        .map(a -> a.command().getDecisionId())
                        .collect(Collectors.toSet());
        Set<String> decided =
                result.decisions().stream()
                        .map(ScalingDecision::getDecisionId)
                        .collect(Collectors.toSet());
        // Every command the fleet obeyed came from a decision, each once...
        assertThat(decided).containsAll(applied);
        assertThat(result.applied()).hasSameSizeAs(applied);
        // ...and every decision the guard let through reached the fleet, but those the final
        // drain of the job produced after the fleet had stopped (the last 30 simulated seconds).
        Set<String> allowed =
                result.actuations().stream()
                        .filter(a -> a.getStatus() == ActuationStatus.APPLIED)
                        .filter(a -> a.getTsMs() <= result.endEpochMs() - 30_000)
                        .map(ActuationResult::getDecisionId)
                        .collect(Collectors.toSet());
        assertThat(allowed).isNotEmpty();
        assertThat(applied).containsAll(allowed);
        assertThat(result.applied())
                .filteredOn(a -> a.command().getType() == CommandType.SET_BATCH_SIZE)
                .extracting(ClosedLoopFleet.Applied::outcome)
                .anyMatch(o -> o.contains(" B ") && o.contains("->"));
        assertThat(result.chiron().batchSizeChanges()).isPositive();
        assertThat(result.chiron().scalingActions()).isPositive();
        // The fleet started instances beyond the two interactive and one mixed it began with
        // (an added instance is named in the outcome with a plus).
        assertThat(result.applied())
                .filteredOn(a -> a.command().getType() == CommandType.SET_REPLICAS)
                .extracting(ClosedLoopFleet.Applied::outcome)
                .anyMatch(o -> o.contains("+llama3-8b-"));
    }

    @Test
    void theLoopDrainsAfterItsArrivalsSoEveryRequestHasAnOutcome() {
        // Four minutes of arrivals, then on until the work is done: the batch bulk (20,000 due
        // at 11 minutes) is still queued at 4, so the loop must run past them, and no request is
        // left open (a cut at 4 minutes left thousands of batch requests and the interactive ones
        // in flight unfinished, counted as unmet).
        assertThat(result.simulatedSeconds()).isGreaterThan(4 * 60);
        assertThat(result.chiron().interactive().arrived()).isPositive();
        assertThat(result.chiron().batch().arrived()).isEqualTo(20_000);
        assertThat(result.chiron().interactive().missedUnfinished()).isZero();
        assertThat(result.chiron().batch().missedUnfinished()).isZero();
    }

    @Test
    void theDecisionLagIsReported() {
        assertThat(result.lagSeconds(50)).isPositive().isLessThan(60);
    }
}
