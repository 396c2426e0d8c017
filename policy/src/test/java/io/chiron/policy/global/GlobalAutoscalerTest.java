package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.Fixtures;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.chiron.policy.Fixtures.T0;
import static io.chiron.policy.Fixtures.batchGroup;
import static io.chiron.policy.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GlobalAutoscalerTest {
    private final ChironConfig config = Fixtures.config();
    private final GlobalAutoscaler global =
            new GlobalAutoscaler(config, Fixtures.flatModel(), "chiron", 5_000);

    private static List<ScalingDecision> forRole(List<ScalingDecision> ds, InstanceRole role) {
        return ds.stream().filter(d -> d.getRole() == role).toList();
    }

    @Test
    void aHugeBacklogWithADistantDeadlineIsNoReasonToScale() {
        // 700,000 requests of 100 tokens at T(B=100) = 10,000 tok/s: 7,000 instance-s of work,
        // due in 24 h: 7,000 / (86,400 - 120) = 0.081 instances; the one BATCH instance suffices.
        PoolSignal p =
                pool(T0).setQueueBatch(700_000)
                        .setQueueGroups(List.of(batchGroup(T0 + 86_400_000L, 700_000, 0)))
                        .build();
        assertThat(forRole(global.onPoolSignal(p, new PoolState()), InstanceRole.BATCH)).isEmpty();
    }

    @Test
    void theSameBacklogDueSoonScalesOutAtOnce() {
        // 7,000 instance-s due in 620 s with 120 s of cold start and margin in reserve:
        // 7,000 / 500 = 14 instances; 1 BATCH now -> set BATCH to 14.
        PoolSignal p =
                pool(T0).setQueueBatch(700_000)
                        .setQueueGroups(List.of(batchGroup(T0 + 620_000, 700_000, 0)))
                        .build();
        List<ScalingDecision> batch =
                forRole(global.onPoolSignal(p, new PoolState()), InstanceRole.BATCH);
        assertThat(batch)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getTarget()).isEqualTo(14);
                            assertThat(d.getPrevious()).isEqualTo(1);
                            assertThat(d.getReason()).contains("deadline at risk");
                        });
    }

    @Test
    void theCltMarginAddsCapacityForVariableOutputs() {
        // sigma 1,000 tokens: z*sqrt(N)*sigma/T = 2.33 * 836.66 * 0.1 = 194.94 instance-s more:
        // (7,000 + 194.94) / 500 = 14.39 -> 15.
        PoolSignal p =
                pool(T0).setOutputTokensStd(1_000)
                        .setQueueBatch(700_000)
                        .setQueueGroups(List.of(batchGroup(T0 + 620_000, 700_000, 0)))
                        .build();
        assertThat(forRole(global.onPoolSignal(p, new PoolState()), InstanceRole.BATCH))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(15);
    }

    @Test
    void scalesInOneBatchInstanceAtATimeOnlyAfterTheCooldown() {
        // 3 BATCH, nothing queued: one fewer is safe, but the last action was 1 minute ago.
        PoolState state = new PoolState();
        state.lastActionMs = T0 - 60_000;
        PoolSignal idle = pool(T0).setInstancesBatch(3).build();
        assertThat(forRole(global.onPoolSignal(idle, state), InstanceRole.BATCH)).isEmpty();
        // Six minutes after it (the cooldown is 3 min): 3 -> 2, not 3 -> 0.
        PoolSignal later = pool(T0 + 300_000).setInstancesBatch(3).build();
        assertThat(forRole(global.onPoolSignal(later, state), InstanceRole.BATCH))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(2);
    }

    @Test
    void holdsWhenTelemetryIsStale() {
        // 3 idle BATCH instances, nothing queued, the last action an hour ago: one fewer is due
        // (the control: the cooldown does not hold it back)...
        PoolState fresh = new PoolState();
        fresh.lastActionMs = T0 - 3_600_000;
        PoolSignal idle = pool(T0).setInstancesBatch(3).build();
        assertThat(forRole(global.onPoolSignal(idle, fresh), InstanceRole.BATCH))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(2);
        // ...but with one instance's telemetry missing, nothing scales in.
        PoolState stale = new PoolState();
        stale.lastActionMs = T0 - 3_600_000;
        PoolSignal missing = pool(T0).setInstancesBatch(3).setStaleInstances(1).build();
        assertThat(global.onPoolSignal(missing, stale))
                .noneMatch(d -> d.getTarget() < d.getPrevious());
    }

    @Test
    void scalesOutInteractiveAfterTwoPeriodsOfBackpressure() {
        // 90 running on 100 slots: U = 0.9, b_int = 0.9 / U_target 0.8 = 1.125.
        PoolState state = new PoolState();
        PoolSignal first = pool(T0).setRunningInteractive(90).build();
        assertThat(forRole(global.onPoolSignal(first, state), InstanceRole.INTERACTIVE)).isEmpty();
        // Second period: +ceil(1 * (1.125 - 1)) = +1 -> 2 interactive instances.
        PoolSignal second = pool(T0 + 15_000).setRunningInteractive(90).build();
        assertThat(forRole(global.onPoolSignal(second, state), InstanceRole.INTERACTIVE))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(2);
    }

    @Test
    void doesNotAddWhatIsAlreadyStarting() {
        PoolState state = new PoolState();
        state.highPeriods = 1;
        // b_int = 1.125 asks for +1, and one interactive instance is already cold-starting.
        PoolSignal p = pool(T0).setRunningInteractive(90).setProvisioningInteractive(1).build();
        assertThat(forRole(global.onPoolSignal(p, state), InstanceRole.INTERACTIVE)).isEmpty();
    }

    @Test
    void capsAScaleOutDrivenByABacklogsTtft() {
        // TTFT p95 20 s against theta * 2 s = 1 s: b_int = 20, with the queue growing (0 -> 50).
        // Sizing caps b_int at F = 2: +ceil(1 * (2 - 1)) = +1, not +19.
        PoolState state = new PoolState();
        state.highPeriods = 1;
        PoolSignal p = pool(T0).setTtftP95Ms(20_000).setQueueInteractive(50).build();
        assertThat(forRole(global.onPoolSignal(p, state), InstanceRole.INTERACTIVE))
                .singleElement()
                .extracting(ScalingDecision::getTarget)
                .isEqualTo(2);
    }

    @Test
    void aBacklogDrainingOnEnoughCapacityIsNoReasonToAdd() {
        // The same TTFT, but the queue shrinks (100 -> 50) and no slots are short (U 0.35):
        // the backlog drains on the capacity there is.
        PoolState state = new PoolState();
        state.highPeriods = 1;
        state.lastQueueInteractive = 100;
        PoolSignal p = pool(T0).setTtftP95Ms(20_000).setQueueInteractive(50).build();
        assertThat(forRole(global.onPoolSignal(p, state), InstanceRole.INTERACTIVE)).isEmpty();
    }

    @Test
    void decidesOncePerGlobalPeriod() {
        PoolState state = new PoolState();
        PoolSignal due =
                pool(T0).setQueueGroups(List.of(batchGroup(T0 + 620_000, 700_000, 0))).build();
        assertThat(global.onPoolSignal(due, state)).isNotEmpty();
        // 5 s later: inside the 15 s period, whatever the signal says.
        PoolSignal next = pool(T0 + 5_000).setQueueGroups(due.getQueueGroups()).build();
        assertThat(global.onPoolSignal(next, state)).isEmpty();
    }

    @Test
    void decisionIdsAreDeterministic() {
        PoolSignal p =
                pool(T0).setQueueGroups(List.of(batchGroup(T0 + 620_000, 700_000, 0))).build();
        var a = global.onPoolSignal(p, new PoolState());
        var b = global.onPoolSignal(p, new PoolState());
        assertThat(a)
                .extracting(ScalingDecision::getDecisionId)
                .containsExactlyElementsOf(b.stream().map(ScalingDecision::getDecisionId).toList());
    }

    /**
     * The interactive rule's trend: the same arrivals seen in 5 s or in 10 s windows size the pool
     * alike (it once counted windows, so 10 s windows doubled its spans).
     */
    @Test
    void theArrivalTrendDoesNotDependOnTheWindowLength() {
        // A ramp over 3 minutes: 100 x (k + 1) arrivals in the k-th 5 s window, k = 0..35.
        // Recent 30 s (k = 30..35): 100 x 201 = 20,100 arrivals, 670/s; at 100 output tokens each
        // and T(B = 100) = 10,000 tok/s on the flat model: 6.7 instances.
        // The minute before (k = 18..29): 100 x 294 = 29,400, 490/s: 4.9 instances.
        // Centres 45 s apart: slope (6.7 - 4.9) / 45 = 0.04 per s, over cold start plus period
        // (75 s): +3.0 (under the cap of half of 6.7): 9.7 instances ahead, / U_target 0.8 =
        // 12.125 -> +12 on the 1 serving.
        for (int windowS : new int[] {5, 10}) {
            // The TREND forecaster, whose arithmetic this derivation follows.
            GlobalAutoscaler g =
                    new GlobalAutoscaler(
                            config.with(c -> c.forecast = ChironConfig.Forecaster.TREND),
                            Fixtures.flatModel(),
                            "chiron",
                            windowS * 1_000L);
            PoolState state = new PoolState();
            List<ScalingDecision> last = List.of();
            int per = windowS / 5;
            for (int w = 0; w < 36 / per; w++) {
                long arrivals = 0;
                for (int k = w * per; k < (w + 1) * per; k++) {
                    arrivals += 100L * (k + 1);
                }
                long end = T0 + (w + 1) * windowS * 1_000L;
                // Only the last window ends a global period: nothing is decided before it.
                state.lastRunMs = w == 36 / per - 1 ? end - 15_000 : end;
                last =
                        g.onPoolSignal(
                                pool(end)
                                        .setWindowStartMs(end - windowS * 1_000L)
                                        .setArrivalsInteractive(arrivals)
                                        .build(),
                                state);
            }
            assertThat(forRole(last, InstanceRole.INTERACTIVE))
                    .as("%d s windows", windowS)
                    .singleElement()
                    .satisfies(
                            d -> {
                                assertThat(d.getInputs().get("interactive_instances_by_rate"))
                                        .isCloseTo(12.125, within(1e-9));
                                assertThat(d.getTarget()).isEqualTo(13);
                            });
        }
    }

    /** The reactive interactive decision after two minutes of 1,024-token prompts, 100 per s. */
    private static ScalingDecision afterLongPrompts(ChironConfig c) {
        GlobalAutoscaler g =
                new GlobalAutoscaler(
                        c.with(x -> x.forecast = ChironConfig.Forecaster.OFF),
                        Fixtures.flatModel(),
                        "chiron",
                        5_000);
        PoolState state = new PoolState();
        List<ScalingDecision> last = List.of();
        for (int w = 0; w < 24; w++) {
            long end = T0 + (w + 1) * 5_000L;
            state.lastRunMs = w == 23 ? end - 15_000 : end;
            last =
                    g.onPoolSignal(
                            pool(end)
                                    .setWindowStartMs(end - 5_000)
                                    .setArrivalsInteractive(500)
                                    .setArrivalPromptTokensInteractive(500 * 1_024L)
                                    .build(),
                            state);
        }
        return forRole(last, InstanceRole.INTERACTIVE).get(0);
    }

    @Test
    void promptsArePricedAsChunksBesideTheDecodesAboveTheWeightRead() {
        // 100 arrivals/s of 1,024 prompt tokens and 100 output tokens. On the flat model an
        // iteration's weight read (its fastest step) is 10 ms and a 1,024-token chunk 102.4 ms, so
        // within the default budget of 1,024 tokens a prompt token costs (102.4 - 10) / 1,024 =
        // 0.090234 ms: 102,400 tokens/s -> 9.24 instance-s/s; decode 100 x 100 / 10,000 tok/s =
        // 1.0. (10.24) / U_target 0.8 = 12.8 instances. Priced as a standalone 2,048-token pass
        // with its weight read, as the rule did before, it was 0.1 ms: 14.05.
        ScalingDecision d = afterLongPrompts(config);
        assertThat(d.getInputs().get("interactive_instances_by_rate"))
                .isCloseTo((102_400 * (102.4 - 10) / 1_024 / 1_000 + 1.0) / 0.8, within(1e-9));
        assertThat(d.getTarget()).isEqualTo(13);
        // A budget of 2,048 tokens: (204.8 - 10) / 2,048 = 0.095117 ms -> 9.74 + 1.0 = 10.74,
        // / 0.8 = 13.43 -> 14.
        ScalingDecision wide = afterLongPrompts(config.with(c -> c.iterationTokens = 2_048));
        assertThat(wide.getInputs().get("interactive_instances_by_rate"))
                .isCloseTo((102_400 * (204.8 - 10) / 2_048 / 1_000 + 1.0) / 0.8, within(1e-9));
        assertThat(wide.getTarget()).isEqualTo(14);
    }

    /** The interactive decision after 10 flat minutes and then {@code rising} 15 s steps. */
    private static ScalingDecision afterACrowd(ChironConfig c, long... rising) {
        GlobalAutoscaler g = new GlobalAutoscaler(c, Fixtures.flatModel(), "chiron", 5_000);
        PoolState state = new PoolState();
        List<ScalingDecision> last = List.of();
        int flat = 120;
        int windows = flat + 3 * rising.length;
        for (int w = 0; w < windows; w++) {
            long arrivals = w < flat ? 500 : rising[(w - flat) / 3];
            long end = T0 + (w + 1) * 5_000L;
            state.lastRunMs = w == windows - 1 ? end - 15_000 : end;
            last =
                    g.onPoolSignal(
                            pool(end)
                                    .setWindowStartMs(end - 5_000)
                                    .setArrivalsInteractive(arrivals)
                                    .build(),
                            state);
        }
        return forRole(last, InstanceRole.INTERACTIVE).get(0);
    }

    @Test
    void aFlashCrowdIsMetInOneStepBeforeItPeaks() {
        // 500 arrivals per 5 s window (100/s at 100 output tokens, T(B = 100) = 10,000 tok/s on
        // the flat model: 1 instance) for ten minutes, then two 15 s steps of 1,050 and 2,200 per
        // window: demand 1 -> 2.1 -> 4.4 instance-s/s, a rise of 2.1x twice, to 4.4x the history.
        // Surge: slope 1.7 per step over 5 steps (60 s cold start + 15 s period), capped at
        // 2 x 4.4 = 8.8; / U_target 0.8 = 11 instances: +10 on the 1 serving.
        ScalingDecision surged = afterACrowd(config, 1_050, 2_200);
        assertThat(surged.getInputs().get("forecast_interactive_surge"))
                .isCloseTo(8.8, within(1e-9));
        assertThat(surged.getTarget()).isEqualTo(11);
        // Without it, HOLT is capped at half again the last 30 s: 1.5 x (2.1 + 4.4) / 2 = 4.875,
        // / 0.8 = 6.1: at most 7.
        ScalingDecision holt = afterACrowd(config.with(c -> c.surgeRise = 0), 1_050, 2_200);
        assertThat(holt.getTarget()).isLessThanOrEqualTo(7);
    }

    @Test
    void eachLookReportsTheDemandAndItsForecastWhetherOrNotItDecides() {
        // 500 arrivals per 5 s window, flat for ten minutes: 100/s at 100 output tokens on the flat
        // model's 10,000 tok/s, 1 instance-s/s in every 15 s step. HOLT on a flat series forecasts
        // the same, with no one-step error; it looks 60 s cold start + 15 s period = 5 steps of
        // 15 s ahead. It looks at the first window and every third after it: window 120 is a look.
        GlobalAutoscaler g = new GlobalAutoscaler(config, Fixtures.flatModel(), "chiron", 5_000);
        PoolState state = new PoolState();
        Map<String, Double> looked = new LinkedHashMap<>();
        for (int w = 0; w <= 120; w++) {
            long end = T0 + (w + 1) * 5_000L;
            looked.clear();
            g.onPoolSignal(
                    pool(end).setWindowStartMs(end - 5_000).setArrivalsInteractive(500).build(),
                    state,
                    looked);
        }
        assertThat(looked)
                .hasEntrySatisfying(
                        GlobalAutoscaler.INTERACTIVE_DEMAND,
                        v -> assertThat(v).isCloseTo(1.0, within(1e-9)))
                .hasEntrySatisfying(
                        GlobalAutoscaler.INTERACTIVE_FORECAST,
                        v -> assertThat(v).isCloseTo(1.0, within(1e-9)))
                .hasEntrySatisfying(
                        GlobalAutoscaler.INTERACTIVE_FORECAST_SIGMA,
                        v -> assertThat(v).isCloseTo(0.0, within(1e-9)))
                .containsEntry(GlobalAutoscaler.FORECAST_HORIZON_S, 75.0);

        // The next window lies within the same 15 s period: no look, nothing reported.
        looked.clear();
        long end = T0 + 122 * 5_000L;
        g.onPoolSignal(
                pool(end).setWindowStartMs(end - 5_000).setArrivalsInteractive(500).build(),
                state,
                looked);
        assertThat(looked).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = ChironConfig.Forecaster.class,
            names = {"OFF", "TREND"})
    void theReactiveAndTrendPoliciesReportTheDemandTooButNoHoltForecast(
            ChironConfig.Forecaster forecaster) {
        // The same flat 1 instance-s/s as above: the newest 15 s step's demand is reported whatever
        // the forecaster, so a --predictive off run has a demand gauge and a backtest; the HOLT
        // forecast and its sigma are not, since nothing computed them.
        GlobalAutoscaler g =
                new GlobalAutoscaler(
                        config.with(c -> c.forecast = forecaster),
                        Fixtures.flatModel(),
                        "chiron",
                        5_000);
        PoolState state = new PoolState();
        Map<String, Double> looked = new LinkedHashMap<>();
        for (int w = 0; w <= 120; w++) {
            long end = T0 + (w + 1) * 5_000L;
            looked.clear();
            g.onPoolSignal(
                    pool(end).setWindowStartMs(end - 5_000).setArrivalsInteractive(500).build(),
                    state,
                    looked);
        }
        assertThat(looked)
                .hasEntrySatisfying(
                        GlobalAutoscaler.INTERACTIVE_DEMAND,
                        v -> assertThat(v).isCloseTo(1.0, within(1e-9)))
                .doesNotContainKeys(
                        GlobalAutoscaler.INTERACTIVE_FORECAST,
                        GlobalAutoscaler.INTERACTIVE_FORECAST_SIGMA);
    }

    @Test
    void holdsWhenTheWindowShowsNoInstanceAtAll() {
        // A pool's first window, or one whose agents are down: no instance of any role reports.
        // Deciding "1 INTERACTIVE" from it would drain the two that run. Hold instead; with one
        // instance seen, the rules decide again (here: a batch backlog due soon).
        PoolSignal none =
                pool(T0).setInstancesInteractive(0)
                        .setInstancesBatch(0)
                        .setQueueBatch(700_000)
                        .setQueueGroups(List.of(batchGroup(T0 + 620_000, 700_000, 0)))
                        .build();
        assertThat(global.onPoolSignal(none, new PoolState())).isEmpty();
        PoolSignal one = PoolSignal.newBuilder(none).setInstancesInteractive(1).build();
        assertThat(forRole(global.onPoolSignal(one, new PoolState()), InstanceRole.BATCH))
                .isNotEmpty();
    }

    @Test
    void doesNotAskAgainForInstancesAskedForThatShowNoTelemetryYet() {
        // 1,000 interactive arrivals per 5 s window, steadily: 200/s at 100 output tokens and
        // T(B = 100) = 10,000 tok/s on the flat model is 2 instances, / U_target 0.8 = 2.5 -> 3:
        // +2 on the 1 serving. The two asked for are pods without telemetry until they run (no
        // PROVISIONING heartbeat): the next period sees the same single instance. It must not ask
        // for +2 again (it did: 3 -> 5 -> 7 ... while the cold start lasted).
        PoolState state = new PoolState();
        List<ScalingDecision> decided = new java.util.ArrayList<>();
        for (int w = 0; w < 39; w++) {
            long end = T0 + (w + 1) * 5_000L;
            decided.addAll(
                    global.onPoolSignal(
                            pool(end)
                                    .setWindowStartMs(end - 5_000)
                                    .setArrivalsInteractive(1_000)
                                    .build(),
                            state));
        }
        // Asked at 5 s; the ask stands for the cold start plus a period (75 s), so the next comes
        // at 80 s, and at 155 s: the pods never came, and asking again is right. Before, every
        // 30 s, each time on top of the last target.
        assertThat(forRole(decided, InstanceRole.INTERACTIVE))
                .extracting(d -> d.getTsMs() - T0, ScalingDecision::getTarget)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(5_000L, 3),
                        org.assertj.core.groups.Tuple.tuple(80_000L, 3),
                        org.assertj.core.groups.Tuple.tuple(155_000L, 3));
    }

    /** The interactive decisions over four minutes on 10 idle instances, a burst or none. */
    private static List<ScalingDecision> scaleInAfter(ChironConfig c, boolean burst) {
        return scaleInAfter(c, 48, w -> burst && w >= 12 && w < 18 ? 2_000 : 500);
    }

    /** The interactive decisions over {@code windows} 5 s windows on 10 idle instances. */
    private static List<ScalingDecision> scaleInAfter(
            ChironConfig c, int windows, java.util.function.IntToLongFunction arrivalsInWindow) {
        GlobalAutoscaler g = new GlobalAutoscaler(c, Fixtures.flatModel(), "chiron", 5_000);
        PoolState state = new PoolState();
        state.lastActionMs = T0 - 3_600_000;
        List<ScalingDecision> decided = new java.util.ArrayList<>();
        for (int w = 0; w < windows; w++) {
            long arrivals = arrivalsInWindow.applyAsLong(w);
            long end = T0 + (w + 1) * 5_000L;
            decided.addAll(
                    forRole(
                            g.onPoolSignal(
                                    pool(end)
                                            .setWindowStartMs(end - 5_000)
                                            .setInstancesInteractive(10)
                                            .setBatchCapInteractive(1_000)
                                            .setArrivalsInteractive(arrivals)
                                            .build(),
                                    state),
                            InstanceRole.INTERACTIVE));
        }
        return decided;
    }

    @Test
    void aScaleInLeavesWhatTheBusiest30sOfTheStabilizationWindowNeeded() {
        // 10 INTERACTIVE instances, 35 running on 1,000 slots: b_int = 0.035 / 0.8 < 0.5 from the
        // first decision (5 s), so the stabilization window (3 min) ends at the decision at 185 s.
        // 500 arrivals per 5 s window: 100/s at 100 output tokens, T(B = 100) = 10,000 tok/s on
        // the flat model: 1 instance-s/s. Kept: ceil(1.1 x 1 / U_target 0.8) = ceil(1.375) = 2.
        ChironConfig all = config.with(c -> c.scaleInStep = 100);
        assertThat(scaleInAfter(all, false))
                .extracting(d -> d.getTsMs() - T0, ScalingDecision::getTarget)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(185_000L, 2));
        // A 30 s burst at 60-90 s of 2,000 per window (4 instance-s/s) lies in that window: the
        // busiest 30 s needed ceil(1.1 x 4 / 0.8) = ceil(5.5) = 6, which stay.
        assertThat(scaleInAfter(all, true))
                .extracting(d -> d.getTsMs() - T0, ScalingDecision::getTarget)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(185_000L, 6));
        // The default scale-in-step 2: 10 -> 8; the next waits for another window.
        assertThat(scaleInAfter(config, true))
                .extracting(d -> d.getTsMs() - T0, ScalingDecision::getTarget)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(185_000L, 8));
        // One at a time (scale-in-step 1): 10 -> 9 at 185 s.
        assertThat(scaleInAfter(config.with(c -> c.scaleInStep = 1), true))
                .extracting(d -> d.getTsMs() - T0, ScalingDecision::getTarget)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(185_000L, 9));
    }

    @Test
    void aScaleInKeepsWhatTheForecastNeedsOverTheHorizon() {
        // 10 INTERACTIVE instances nearly idle (b_int < 0.5), arrivals rising by 50 per 5 s
        // window from 500: demand 1 + 0.1 w instance-s/s in window w. The stabilization window
        // ends at the decision of window 36 (185 s). Its busiest 30 s are the last six windows
        // (31-36): 1 + 3.35 = 4.35, kept with 10 % to spare: ceil(1.1 x 4.35 / 0.8) = 6. The 15 s
        // steps rise by 0.3 exactly, so Holt's trend is 0.3 and its error 0: from the last step
        // (windows 34-36, 4.5) five steps ahead, 4.5 + 1.5 = 6.0, under half again the last 30 s
        // (1.5 x 4.35); / U_target 0.8 = 7.5: 8 instances are kept, not 6.
        List<ScalingDecision> decided =
                scaleInAfter(config.with(c -> c.scaleInStep = 100), 37, w -> 500 + 50L * w);
        assertThat(decided)
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.getTsMs() - T0).isEqualTo(185_000L);
                            assertThat(d.getInputs().get("interactive_instances_by_rate"))
                                    .isCloseTo(7.5, within(1e-9));
                            assertThat(d.getTarget()).isEqualTo(8);
                        });
    }

    /**
     * A crowd that comes at the same minute of every 10-minute season: 500 arrivals per 5 s window
     * (1 instance-s/s on the flat model), 5,000 (10) in the minute from 300 s into each season. The
     * fleet follows every INTERACTIVE target at once. Returns the INTERACTIVE decisions of the
     * second season before its crowd, and the target the pool has when that crowd starts.
     */
    private static Map.Entry<List<ScalingDecision>, Integer> beforeTheSecondCrowd(ChironConfig c) {
        GlobalAutoscaler g = new GlobalAutoscaler(c, Fixtures.flatModel(), "chiron", 5_000);
        PoolState state = new PoolState();
        state.lastActionMs = T0 - 3_600_000;
        long season = 600_000;
        long second = T0 - Math.floorMod(T0, season) + season; // the second season's start
        List<ScalingDecision> before = new java.util.ArrayList<>();
        int serving = 1;
        for (long end = T0 + 5_000; end <= second + 300_000; end += 5_000) {
            long into = Math.floorMod(end, season);
            long arrivals = into > 300_000 && into <= 360_000 ? 5_000 : 500;
            List<ScalingDecision> ds =
                    forRole(
                            g.onPoolSignal(
                                    pool(end)
                                            .setWindowStartMs(end - 5_000)
                                            .setInstancesInteractive(serving)
                                            .setBatchCapInteractive(serving * 1_000L)
                                            .setArrivalsInteractive(arrivals)
                                            .build(),
                                    state),
                            InstanceRole.INTERACTIVE);
            for (ScalingDecision d : ds) {
                serving = d.getTarget();
                if (end > second) {
                    before.add(d);
                }
            }
        }
        return Map.entry(before, serving);
    }

    @Test
    void aCrowdThatCameAtThisMinuteOneSeasonAgoIsSizedForBeforeItComes() {
        // Season 10 min, scale-in of any size once the 3 min stabilization window has passed. The
        // first crowd (100 s after T0, which lies 200 s into a season) is met as it comes; by
        // the second season the pool is back to what the flat load needs. Its looks fall 10 s
        // past each 15 s step (T0 + 5 s is one): 235 s into the second season looks at
        // (235, 310] s, whose step ending at 310 s held the first crowd's 7 (windows of 1, 10,
        // 10): 1 + (7 - 1) = 7 instance-s/s, ceil(7 / 0.8) = 9 instances; 250 s in looks at
        // (250, 325], whose step ending at 325 s held 10: 1 + 9 = 10, ceil(10 / 0.8) = 13. Both
        // come before the crowd does (300 s in), from the season's memory alone.
        ChironConfig seasonal =
                config.with(
                        c -> {
                            c.season = Duration.ofMinutes(10);
                            c.scaleInStep = 100;
                        });
        Map.Entry<List<ScalingDecision>, Integer> ahead = beforeTheSecondCrowd(seasonal);
        assertThat(ahead.getKey())
                .filteredOn(d -> d.getInputs().containsKey(GlobalAutoscaler.INTERACTIVE_SEASON))
                .extracting(ScalingDecision::getTarget)
                .containsExactly(9, 13);
        assertThat(ahead.getKey())
                .last()
                .satisfies(
                        d -> {
                            assertThat(d.getInputs().get(GlobalAutoscaler.INTERACTIVE_SEASON))
                                    .isCloseTo(10.0, within(1e-9));
                            assertThat(d.getReason()).contains("one season ago");
                        });
        assertThat(ahead.getValue()).isEqualTo(13);
        // Without a season (0), nothing is added before the crowd shows.
        Map.Entry<List<ScalingDecision>, Integer> none =
                beforeTheSecondCrowd(seasonal.with(c -> c.season = Duration.ZERO));
        assertThat(none.getKey()).allSatisfy(d -> assertThat(d.getTarget()).isLessThan(9));
        assertThat(none.getValue()).isLessThan(9);
    }
}
