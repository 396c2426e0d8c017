package io.chiron.app;

import io.chiron.app.demo.DemoOptions;
import io.chiron.app.demo.HttpDemo;
import io.chiron.core.RoleCounts;
import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.workload.Scenario;
import io.chiron.records.ActuationStatus;
import io.chiron.records.DecisionAction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closed loop over real HTTP, briefly: the trace as OpenAI streamed completions to the gateway,
 * emulated vLLM instances behind it, the job on a MiniCluster deciding from the gateway's
 * telemetry, its batch sizes applied as the gateway's admission caps.
 */
class HttpDemoITCase {
    @Test
    void theLoopClosesOverHttpAndEveryRequestIsAccountedFor(@TempDir Path out) throws Exception {
        DemoOptions o =
                new DemoOptions(
                        "azure-conv",
                        Scenario.MIXED,
                        Duration.ofSeconds(45),
                        2,
                        1,
                        42,
                        RoleCounts.of(1, 1, 0),
                        50,
                        Duration.ofSeconds(10),
                        Duration.ofMinutes(2),
                        false,
                        out);
        HttpDemo.Result r = HttpDemo.run(o, (s, line) -> {}, line -> {});
        ClassOutcome in = r.chiron().classes().get("interactive");
        ClassOutcome batch = r.chiron().classes().get("batch");
        // Every request the clients sent reached the gateway, and each has an outcome
        // (ClassOutcome refuses counts that do not add up: arrived = met + late + dropped + open).
        assertThat(in.arrived()).isPositive();
        assertThat(batch.arrived()).isEqualTo(50);
        assertThat(r.gateway().get("arrived")).isEqualTo(in.arrived() + batch.arrived());
        // What the gateway finished, the clients received whole (nothing failed on the way).
        assertThat(r.gateway().get("failed")).isZero();
        assertThat(r.gateway().get("ok"))
                .isEqualTo(in.met() + in.missedLate() + batch.met() + batch.missedLate());
        // The loop closed: heartbeats from the bridge, decisions from the job, and the job's
        // batch sizes applied at the gateway as caps.
        assertThat(r.gateway().get("heartbeats")).isPositive();
        assertThat(r.decisions(DecisionAction.SET_BATCH_SIZE)).isPositive();
        assertThat(r.actuations(ActuationStatus.APPLIED)).isPositive();
        assertThat(r.gateway().get("caps_applied")).isPositive();
    }
}
