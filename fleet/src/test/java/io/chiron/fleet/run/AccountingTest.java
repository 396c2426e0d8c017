package io.chiron.fleet.run;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.report.Bounds;
import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.policy.Fixtures;
import io.chiron.policy.baseline.StaticPolicy;
import io.chiron.policy.profile.LatencyModel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every metric of a run on traces small enough to follow by hand. The flat profile: decode steps of
 * 10 ms at any batch size and context (the floor is 10 ms), prefill 102.4 ms for any chunk up to
 * 1,024 tokens (the iteration budget), no attention term; the shipped KV cache of 447,580 tokens. A
 * request's first token comes with its last prefill chunk.
 */
class AccountingTest {
    private static final LatencyModel FLAT = Fixtures.flatModel();

    @TempDir Path dir;

    private Trace trace(String jsonl) throws IOException {
        Path file = dir.resolve("trace.jsonl");
        Files.writeString(file, jsonl);
        return Trace.load(file.toString());
    }

    private static SimConfig fleet(int interactive, int batch) {
        SimConfig c = new SimConfig();
        c.latency = FLAT;
        c.initialInstances = RoleCounts.of(interactive, 0, batch);
        return c;
    }

    private static Simulation.Result run(SimConfig c, Workload w, Duration horizon) {
        return new Simulation(c, w, new StaticPolicy(), Simulation.Options.defaults())
                .run(horizon, f -> {});
    }

    @Test
    void threeInteractiveRequestsMetLateAndInfeasible() throws IOException {
        // At 0 s and 1 s: prompt 100, output 11 on an idle instance: one 102.4 ms prefill (first
        // token), ten 10 ms decodes: TTFT 102.4 ms <= 2 s, mean ITL 10 ms <= 50 ms: met.
        // At 2 s: prompt 20,480 in 20 chunks of 1,024: TTFT 2,048 ms > 2 s, even alone on an
        // idle instance: late, and not feasible. 3 arrived = 2 met + 1 late.
        Workload w =
                Workload.build(
                        trace(
                                """
                                {"timestamp": 0, "input_length": 100, "output_length": 11}
                                {"timestamp": 1000, "input_length": 100, "output_length": 11}
                                {"timestamp": 2000, "input_length": 20480, "output_length": 2}
                                """),
                        // The trace repeats every 3 s (its 2 s plus a mean gap): 3 s of arrivals.
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1, Duration.ofSeconds(3), 1));
        SimConfig c = fleet(1, 0);
        Simulation.Result r = run(c, w, Simulation.defaultHorizon(w));
        PolicyResult p = r.metrics();
        // The late one broke its TTFT, not its ITL (one decode step of 10 ms).
        assertThat(p.interactive()).isEqualTo(new ClassOutcome(3, 2, 1, 0, 0, 2, 1, 0));
        assertThat(p.interactiveSloAttainment()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(p.batchSloAttainment()).isNull();
        // The last request finishes at 2 + 2.048 + 0.010 s; the run ends at the window end after
        // it, 5 s: one instance for 5 s.
        assertThat(r.simulatedSeconds()).isEqualTo(5.0);
        assertThat(p.gpuHours()).isCloseTo(5 / 3600.0, within(1e-12));
        // Throughput over the 3 s arrival window: 3 finished, 2 met.
        assertThat(p.throughputRps()).isCloseTo(1.0, within(1e-12));
        assertThat(p.goodputRps()).isCloseTo(2 / 3.0, within(1e-12));
        // Lower bound: prefill at the cheapest marginal cost (102.4 - 10) / 1,024 = 0.090234375
        // ms a token; decode at 10 ms over the largest B the KV cache allows at the token's
        // context, within the engine's 1,024: 10 / 1,024 ms for the short ones, 10 / 21 ms at
        // 20,480 tokens (447,580 / 20,480 = 21.9).
        // Short: 100 x 0.090234375 + 10 x 10 / 1,024 = 9.12109375 ms, twice.
        // Long: 20,480 x 0.090234375 = 1,848 ms + 10 / 21 = 1,848.476190 ms.
        double boundMs = 2 * 9.12109375 + 1_848 + 10.0 / 21;
        assertThat(Bounds.lowerBoundGpuHours(c, w)).isCloseTo(boundMs / 3.6e6, within(1e-12));
        assertThat(p.gpuHours()).isGreaterThan(Bounds.lowerBoundGpuHours(c, w));
    }

    /** Prompt 20,480, output 2; a batch bulk of two at 0 s due 1 s later; one BATCH instance. */
    private Workload backlog() throws IOException {
        return Workload.build(
                trace("{\"timestamp\": 0, \"input_length\": 20480, \"output_length\": 2}\n"),
                WorkloadSpec.of(Scenario.BATCH_BACKLOG, 1, Duration.ofSeconds(1), 1)
                        .withBatch(2, Duration.ZERO, Duration.ofDays(1), Duration.ofSeconds(1)));
    }

    @Test
    void batchDeadlineMissesAreCountedWhenTheRunGoesOnPastThem() throws IOException {
        // The trace's own request is interactive, and no instance serves interactive work: it
        // waits in the queue until the 60 s timeout drops it at the tick after 60 s, 61 s.
        // The two batch requests share the one BATCH instance: the first prefills in 20 chunks
        // (2,048 ms), then the second's 20 chunks (to 4,096 ms), each decoding one token after:
        // both finish after their 1 s deadline, late, and neither could make it alone (2,058 ms).
        Workload w = backlog();
        Simulation.Result r = run(fleet(0, 1), w, Simulation.defaultHorizon(w));
        assertThat(r.metrics().interactive()).isEqualTo(new ClassOutcome(1, 0, 0, 1, 0, 0));
        // Both broke the deadline, neither the 500 ms ITL bound (their one step took 102.4 ms, the
        // other's prefill chunk beside it, and 10 ms).
        assertThat(r.metrics().batch()).isEqualTo(new ClassOutcome(2, 0, 2, 0, 0, 0, 2, 0));
        assertThat(r.metrics().batchSloAttainment()).isZero();
        // The work is done at 61 s: the run ends at the next window end, 65 s.
        assertThat(r.metrics().gpuHours()).isCloseTo(65 / 3600.0, within(1e-12));
    }

    @Test
    void whatIsOpenAtTheHorizonCountsAsUnfinished() throws IOException {
        // The same load cut off at 2 s: no prefill is done, nothing dropped yet.
        Simulation.Result r = run(fleet(0, 1), backlog(), Duration.ofSeconds(2));
        assertThat(r.metrics().interactive()).isEqualTo(new ClassOutcome(1, 0, 0, 0, 1, 0));
        assertThat(r.metrics().batch()).isEqualTo(new ClassOutcome(2, 0, 0, 0, 2, 0));
        assertThat(r.metrics().gpuHours()).isCloseTo(2 / 3600.0, within(1e-12));
    }

    @Test
    void lengthAwareTtftMakesALongPromptFeasible() throws IOException {
        // 500 ms more per 1,000 prompt tokens: 2 s + 20.48 x 500 ms = 12.24 s for 20,480 tokens,
        // which the 2,048 ms prefill meets.
        Workload w =
                Workload.build(
                        trace(
                                "{\"timestamp\": 0, \"input_length\": 20480, \"output_length\": 2}\n"),
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1, Duration.ofSeconds(1), 1));
        SimConfig c = fleet(1, 0);
        c.ttftPerThousandPromptTokensMs = 500;
        assertThat(c.interactiveTtftMs(20_480)).isEqualTo(12_240);
        Simulation.Result r = run(c, w, Simulation.defaultHorizon(w));
        assertThat(r.metrics().interactive()).isEqualTo(new ClassOutcome(1, 1, 0, 0, 0, 1));
    }

    @Test
    void aBurstWaitsInTheGlobalQueueInsteadOfPilingOntoOneInstance() throws IOException {
        // Two INTERACTIVE instances, each decoding a long request (prompt 100, 10,000 tokens)
        // from 0 s. At 1 s four prompts of 8,000 tokens arrive while both are busy, so they
        // queue; the instances admit at their iteration ends, the first one first.
        Workload w =
                Workload.build(
                        trace(
                                """
                                {"timestamp": 0, "input_length": 100, "output_length": 10000}
                                {"timestamp": 0, "input_length": 100, "output_length": 10000}
                                {"timestamp": 1000, "input_length": 8000, "output_length": 1}
                                {"timestamp": 1000, "input_length": 8000, "output_length": 1}
                                {"timestamp": 1000, "input_length": 8000, "output_length": 1}
                                {"timestamp": 1000, "input_length": 8000, "output_length": 1}
                                """),
                        // The trace repeats every 1.2 s (its 1 s plus a mean gap): 1.2 s of it.
                        WorkloadSpec.of(Scenario.INTERACTIVE, 1, Duration.ofMillis(1_200), 1));
        // Slots alone: the first instance takes all four, 32,000 prompt tokens, 32 iterations of
        // 102.4 ms beside its decode: the third and fourth get their first token 2.5 s and 3.3 s
        // after arriving, late; the other instance prefills nothing.
        SimConfig slots = fleet(2, 0);
        slots.prefillBacklog = Duration.ZERO;
        assertThat(run(slots, w, Simulation.defaultHorizon(w)).metrics().interactive())
                .isEqualTo(new ClassOutcome(6, 4, 2, 0, 0, 6, 2, 0));
        // A backlog of 1 s (1,000 / 102.4 x 1,024 = 10,000 tokens) stops the first instance after
        // two prompts (16,000 tokens); the second takes the other two: 16 iterations each, first
        // tokens 1.64 s after arrival, all met.
        SimConfig backlog = fleet(2, 0);
        assertThat(backlog.prefillBacklogTokens()).isEqualTo(10_000);
        assertThat(run(backlog, w, Simulation.defaultHorizon(w)).metrics().interactive())
                .isEqualTo(new ClassOutcome(6, 6, 0, 0, 0, 6, 0, 0));
    }
}
