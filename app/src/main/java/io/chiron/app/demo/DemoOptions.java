package io.chiron.app.demo;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.workload.Scenario;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the demo runs: a trace as a workload, on a small fleet, for some simulated minutes at a
 * speed-up over wall-clock time.
 */
public record DemoOptions(
        String trace,
        Scenario scenario,
        Duration simulated,
        double rateMultiplier,
        double speedup,
        long seed,
        RoleCounts initialInstances,
        int batchBulk,
        Duration batchFirstAt,
        Duration batchDeadline,
        boolean dryRun,
        Path out) {

    public static DemoOptions defaults() {
        return new DemoOptions(
                "azure-conv",
                Scenario.MIXED,
                Duration.ofMinutes(10),
                10,
                10,
                42,
                RoleCounts.of(2, 1, 0),
                20_000,
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                false,
                Path.of("chiron-out", "demo"));
    }

    public DemoOptions withSimulated(Duration d) {
        return new DemoOptions(
                trace,
                scenario,
                d,
                rateMultiplier,
                speedup,
                seed,
                initialInstances,
                batchBulk,
                batchFirstAt,
                batchDeadline,
                dryRun,
                out);
    }

    public DemoOptions withOut(Path p) {
        return new DemoOptions(
                trace,
                scenario,
                simulated,
                rateMultiplier,
                speedup,
                seed,
                initialInstances,
                batchBulk,
                batchFirstAt,
                batchDeadline,
                dryRun,
                p);
    }
}
