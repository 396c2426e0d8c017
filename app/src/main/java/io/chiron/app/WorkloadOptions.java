package io.chiron.app;

import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;

import picocli.CommandLine.Option;

import java.time.Duration;

/** The workload options shared by simulate and evaluate. */
final class WorkloadOptions {
    @Option(
            names = "--trace",
            required = true,
            description =
                    "azure-conv, azure-code, a synthetic trace drawn with the run's seed"
                            + " (synthetic-poisson, -bursty, -diurnal, -flash-crowd, -on-off,"
                            + " -ramp, -short-chat, -long-context), or a trace file: Azure CSV"
                            + " (TIMESTAMP,ContextTokens,GeneratedTokens) or Mooncake JSONL"
                            + " (timestamp ms, input_length, output_length).")
    String trace;

    @Option(
            names = "--scenario",
            defaultValue = "interactive",
            description = "interactive, mixed, batch-backlog or bursty (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--rate-multiplier",
            defaultValue = "1",
            description =
                    "Arrival rate relative to the trace: time-shifted copies are superposed"
                            + " (default ${DEFAULT-VALUE}).")
    double rateMultiplier;

    @Option(
            names = "--duration",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "Simulated time, e.g. 90s, 30m, 1h (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--trace-start",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description =
                    "Start this far into the trace: with --duration, a time window of it"
                            + " (default ${DEFAULT-VALUE}).")
    Duration traceStart;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--horizon",
            converter = DurationConverter.class,
            description =
                    "How long a run may go on after the arrivals stop at --duration, to let every"
                            + " request finish or pass its deadline; requests still open then count"
                            + " as missed_unfinished (default: ten minutes after the last"
                            + " deadline, or after --duration).")
    Duration horizon;

    @Option(
            names = "--batch-bulk",
            description =
                    "Batch requests per bulk (mixed: default 1000 x multiplier; batch-backlog:"
                            + " 25000 x multiplier).")
    Integer batchBulk;

    @Option(
            names = "--batch-deadline",
            converter = DurationConverter.class,
            description = "Deadline of batch requests after arrival (default 1h).")
    Duration batchDeadline;

    @Option(
            names = "--batch-every",
            converter = DurationConverter.class,
            description = "Time between batch bulks in the mixed scenario (default 15m).")
    Duration batchEvery;

    Scenario scenario() {
        return Scenario.parse(scenario);
    }

    WorkloadSpec spec() {
        return spec(seed);
    }

    WorkloadSpec spec(long seed) {
        if (duration.isZero()
                || duration.isNegative()
                || duration.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(
                    "--duration must be in (0, 7d], was " + duration.toSeconds() + " s");
        }
        if (batchBulk != null && batchBulk < 0) {
            throw new IllegalArgumentException("--batch-bulk must be >= 0, was " + batchBulk);
        }
        WorkloadSpec defaults = WorkloadSpec.of(scenario(), rateMultiplier, duration, seed);
        return defaults.withBatch(
                batchBulk != null ? batchBulk : defaults.batchBulk(),
                defaults.batchFirstAt(),
                batchEvery != null ? batchEvery : defaults.batchEvery(),
                batchDeadline != null ? batchDeadline : defaults.batchDeadline());
    }

    Workload workload() {
        return workload(seed);
    }

    Workload workload(long seed) {
        return Workload.build(Trace.load(trace, seed).from(traceStart.toMillis()), spec(seed));
    }

    /** The horizon of a run of {@code w}: --horizon, or ten minutes after its last deadline. */
    Duration horizon(Workload w) {
        if (horizon == null) {
            return io.chiron.fleet.run.Simulation.defaultHorizon(w);
        }
        if (horizon.compareTo(duration) < 0) {
            throw new IllegalArgumentException(
                    "--horizon must be at least --duration ("
                            + duration.toSeconds()
                            + " s), was "
                            + horizon.toSeconds()
                            + " s");
        }
        return horizon;
    }
}
