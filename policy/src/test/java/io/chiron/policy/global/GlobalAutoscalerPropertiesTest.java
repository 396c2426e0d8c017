package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.Fixtures;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.chiron.policy.Fixtures.T0;
import static io.chiron.policy.Fixtures.batchGroup;
import static io.chiron.policy.Fixtures.pool;
import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the global autoscaler over many pools (jqwik, fixed seeds). */
class GlobalAutoscalerPropertiesTest {
    private final ChironConfig config = Fixtures.config();

    private GlobalAutoscaler global() {
        return new GlobalAutoscaler(config, Fixtures.flatModel(), "chiron", 5_000);
    }

    @Provide
    Arbitrary<PoolSignal> pools() {
        Arbitrary<Integer> count = Arbitraries.integers().between(0, 20);
        Arbitrary<Long> queue = Arbitraries.longs().between(0, 1_000_000);
        Arbitrary<Long> deadlineIn = Arbitraries.longs().between(-600_000, 48 * 3_600_000L);
        Arbitrary<Double> ttft = Arbitraries.doubles().between(0, 60_000);
        Arbitrary<Long> runningInteractive = Arbitraries.longs().between(0, 5_000);
        return Combinators.combine(
                        count, count, count, queue, deadlineIn, ttft, runningInteractive, count)
                .as(
                        (i, m, b, q, d, t, r, stale) ->
                                pool(T0).setInstancesInteractive(i)
                                        .setInstancesMixed(m)
                                        .setInstancesBatch(b)
                                        .setBatchCapInteractive(100L * i)
                                        .setBatchCapMixed(100L * m)
                                        .setBatchCapBatch(100L * b)
                                        .setRunningInteractive(Math.min(r, 100L * (i + m)))
                                        .setStaleInstances(stale % 4 == 0 ? 1 : 0)
                                        .setTtftP95Ms(t)
                                        .setQueueBatch(q)
                                        .setQueueGroups(
                                                q == 0
                                                        ? List.of()
                                                        : List.of(batchGroup(T0 + d, q, 0)))
                                        .build());
    }

    private static int min(ChironConfig c, InstanceRole r) {
        return switch (r) {
            case INTERACTIVE -> c.minInteractive;
            case MIXED -> c.minMixed;
            case BATCH -> c.minBatch;
        };
    }

    @Property(tries = 300, seed = "11")
    void decisionsStayWithinTheBounds(@ForAll("pools") PoolSignal p) {
        PoolState state = new PoolState();
        state.highPeriods = 5; // confirmed pressure, to reach the scale-out paths
        List<ScalingDecision> ds = global().onPoolSignal(p, state);
        int total = p.getInstancesInteractive() + p.getInstancesMixed() + p.getInstancesBatch();
        Map<InstanceRole, Integer> after = new HashMap<>();
        after.put(InstanceRole.INTERACTIVE, p.getInstancesInteractive());
        after.put(InstanceRole.MIXED, p.getInstancesMixed());
        after.put(InstanceRole.BATCH, p.getInstancesBatch());
        for (ScalingDecision d : ds) {
            assertThat(d.getTarget()).isBetween(0, config.maxInstances);
            if (d.getTarget() < d.getPrevious()) {
                assertThat(d.getTarget()).isGreaterThanOrEqualTo(min(config, d.getRole()));
            }
            after.put(d.getRole(), d.getTarget());
        }
        int sum = after.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(sum).isLessThanOrEqualTo(Math.max(total, config.maxInstances));
    }

    @Property(tries = 300, seed = "12")
    void staleTelemetryNeverScalesIn(@ForAll("pools") PoolSignal p) {
        PoolSignal stale = PoolSignal.newBuilder(p).setStaleInstances(1).build();
        // Cooled down long ago and below the scale-in threshold for an hour: only the stale rule
        // can hold a scale-in back (without it, this property fails: see
        // holdsWhenTelemetryIsStale).
        PoolState state = new PoolState();
        state.lowSinceMs = T0 - 3_600_000;
        state.lastActionMs = T0 - 3_600_000;
        assertThat(global().onPoolSignal(stale, state))
                .noneMatch(d -> d.getTarget() < d.getPrevious());
    }

    @Property(tries = 300, seed = "13")
    void moreBatchLoadNeverYieldsFewerBatchInstances(
            @ForAll @LongRange(min = 1, max = 500_000) long queued,
            @ForAll @IntRange(min = 2, max = 10) int factor,
            @ForAll @LongRange(min = 300_000, max = 24 * 3_600_000L) long deadlineIn) {
        int less = batchTarget(queued, deadlineIn);
        int more = batchTarget(queued * factor, deadlineIn);
        assertThat(more).isGreaterThanOrEqualTo(less);
    }

    private int batchTarget(long queued, long deadlineIn) {
        PoolSignal p =
                pool(T0).setQueueBatch(queued)
                        .setQueueGroups(List.of(batchGroup(T0 + deadlineIn, queued, 0)))
                        .build();
        return global().onPoolSignal(p, new PoolState()).stream()
                .filter(d -> d.getRole() == InstanceRole.BATCH)
                .mapToInt(ScalingDecision::getTarget)
                .findFirst()
                .orElse(p.getInstancesBatch());
    }

    @Property(tries = 200, seed = "14")
    void moreInteractiveLoadNeverYieldsFewerInteractiveInstances(
            @ForAll @IntRange(min = 0, max = 100) int running,
            @ForAll @IntRange(min = 1, max = 100) int extra) {
        assertThat(interactiveTarget(running + extra))
                .isGreaterThanOrEqualTo(interactiveTarget(running));
    }

    private int interactiveTarget(int running) {
        PoolState state = new PoolState();
        state.highPeriods = 5;
        PoolSignal p = pool(T0).setRunningInteractive(running).build();
        return global().onPoolSignal(p, state).stream()
                .filter(d -> d.getRole() == InstanceRole.INTERACTIVE)
                .mapToInt(ScalingDecision::getTarget)
                .findFirst()
                .orElse(p.getInstancesInteractive());
    }

    @Property(tries = 100, seed = "15")
    void aStationaryLoadDoesNotFlap(@ForAll("pools") PoolSignal start) {
        // The same load for an hour, the fleet following every decision: no role may go up and
        // then down again (or down and then up).
        GlobalAutoscaler g = global();
        PoolState state = new PoolState();
        PoolSignal p = PoolSignal.newBuilder(start).setStaleInstances(0).build();
        Map<InstanceRole, List<Integer>> directions = new HashMap<>();
        for (int w = 0; w < 720; w++) {
            long end = T0 + w * 5_000L;
            PoolSignal now =
                    PoolSignal.newBuilder(p)
                            .setWindowStartMs(end - 5_000)
                            .setWindowEndMs(end)
                            .setQueueGroups(shift(p, w * 5_000L))
                            .build();
            for (ScalingDecision d : g.onPoolSignal(now, state)) {
                directions
                        .computeIfAbsent(d.getRole(), r -> new ArrayList<>())
                        .add(Integer.signum(d.getTarget() - d.getPrevious()));
                p = follow(p, d);
            }
        }
        for (List<Integer> dirs : directions.values()) {
            long reversals = 0;
            for (int k = 1; k < dirs.size(); k++) {
                if (dirs.get(k) != 0 && dirs.get(k) == -dirs.get(k - 1)) {
                    reversals++;
                }
            }
            assertThat(reversals).as("direction changes %s", dirs).isLessThanOrEqualTo(1);
        }
    }

    /** The same queue, its deadlines kept at the same distance: a stationary batch load. */
    private static List<io.chiron.records.QueueGroup> shift(PoolSignal p, long by) {
        return p.getQueueGroups().stream()
                .map(
                        g ->
                                batchGroup(
                                        g.getEarliestDeadlineTsMs() + by,
                                        g.getRequests(),
                                        g.getPromptTokens()))
                .toList();
    }

    private static PoolSignal follow(PoolSignal p, ScalingDecision d) {
        PoolSignal.Builder b = PoolSignal.newBuilder(p);
        switch (d.getRole()) {
            case INTERACTIVE ->
                    b.setInstancesInteractive(d.getTarget())
                            .setBatchCapInteractive(100L * d.getTarget());
            case MIXED -> b.setInstancesMixed(d.getTarget()).setBatchCapMixed(100L * d.getTarget());
            case BATCH -> b.setInstancesBatch(d.getTarget()).setBatchCapBatch(100L * d.getTarget());
        }
        return b.build();
    }

    @Property(tries = 50, seed = "16")
    void aBacklogOf700kDueFarAwayCausesNoScaleOutAndDueSoonDoes(
            @ForAll @LongRange(min = 24 * 3_600_000L, max = 72 * 3_600_000L) long far,
            @ForAll @LongRange(min = 300_000, max = 900_000) long near) {
        // 700,000 requests of 100 tokens: 7,000 instance-s. Due in a day or more: 0.08 instances
        // or fewer, the one BATCH instance suffices. Due in 5-15 minutes: 9 or more.
        assertThat(batchTarget(700_000, far)).isEqualTo(1);
        assertThat(batchTarget(700_000, near)).isGreaterThan(1);
    }
}
