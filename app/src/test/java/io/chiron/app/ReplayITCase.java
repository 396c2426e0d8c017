package io.chiron.app;

import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.fleet.workload.Scenario;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.DecisionAction;
import io.chiron.records.RequestEvent;
import io.chiron.records.ScalingDecision;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flink job and the direct path agree: the same telemetry yields the same decisions, at
 * parallelism 1 and 2, and after a forced failure and restart in the middle of the run no decision
 * is lost or duplicated.
 */
class ReplayITCase {
    private static Recording recording;
    private static List<ScalingDecision> direct;

    @BeforeAll
    static void record() {
        // The bursty code trace: interactive bursts make the global policy busy.
        recording = Recording.of("azure-code", Scenario.BURSTY, 10, Duration.ofMinutes(15), 3);
        direct = Replay.direct(recording, ChironConfig.defaults());
    }

    @Test
    void theDirectPathDecidesSomething() {
        assertThat(direct).anyMatch(d -> d.getAction() == DecisionAction.SET_REPLICAS);
        assertThat(direct).anyMatch(d -> d.getAction() == DecisionAction.SET_BATCH_SIZE);
    }

    @Test
    void flinkAtParallelismOneAndTwoGivesTheDirectDigest() throws Exception {
        String expected = Replay.digest(direct);
        assertThat(Replay.digest(Replay.flink(recording, 1))).isEqualTo(expected);
        assertThat(Replay.digest(Replay.flink(recording, 2))).isEqualTo(expected);
    }

    @Test
    void aFailureInTheMiddleLosesAndDuplicatesNoDecision() throws Exception {
        long requests = recording.records().stream().filter(r -> r instanceof RequestEvent).count();
        Configuration chaos = new Configuration();
        chaos.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(200));
        chaos.set(JobOptions.FAIL_ONCE_AFTER_RECORDS, requests / 2);
        Replay.FlinkRun run = Replay.flink(recording, 1, chaos);
        assertThat(run.restarts()).as("the job failed and restarted").isPositive();
        assertThat(run.decisions())
                .extracting(ScalingDecision::getDecisionId)
                .doesNotHaveDuplicates();
        assertThat(Replay.digest(run.decisions())).isEqualTo(Replay.digest(direct));
    }
}
