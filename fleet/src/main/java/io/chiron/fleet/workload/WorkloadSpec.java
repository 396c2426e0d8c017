package io.chiron.fleet.workload;

import java.time.Duration;

/**
 * How to turn a trace into a workload.
 *
 * @param scenario class mix
 * @param rateMultiplier arrival rate relative to the trace: copies of the trace are superposed,
 *     each shifted by a random offset within a minute (fractional copies keep each request with the
 *     fractional probability), so the shape of the hour is kept and its rate multiplied
 * @param duration how much simulated time the workload covers; the trace repeats to fill it
 * @param seed seed of every random choice
 * @param batchBulk batch requests per bulk (MIXED), prompt and output lengths drawn from the trace
 * @param batchFirstAt when the first bulk arrives
 * @param batchEvery time between bulks
 * @param batchDeadline deadline of a bulk's requests after their arrival
 */
public record WorkloadSpec(
        Scenario scenario,
        double rateMultiplier,
        Duration duration,
        long seed,
        int batchBulk,
        Duration batchFirstAt,
        Duration batchEvery,
        Duration batchDeadline) {

    public WorkloadSpec {
        if (!(rateMultiplier > 0) || rateMultiplier > 10_000) {
            throw new IllegalArgumentException(
                    "rate multiplier must be in (0, 10000], was " + rateMultiplier);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, was " + duration);
        }
        if (batchBulk < 0) {
            throw new IllegalArgumentException("batch bulk must be >= 0, was " + batchBulk);
        }
        if (batchFirstAt.isNegative()) {
            throw new IllegalArgumentException(
                    "batch first arrival must be >= 0, was " + batchFirstAt);
        }
        if (batchEvery.isNegative() || batchEvery.isZero() || batchDeadline.isNegative()) {
            throw new IllegalArgumentException("batch interval and deadline must be positive");
        }
    }

    /**
     * The defaults of a scenario. {@code mixed}: bulks of 1,000 x multiplier batch requests every
     * 15 minutes from minute 1, due an hour after arrival. {@code batch-backlog}: 25,000 x
     * multiplier batch requests at time zero (500,000 at x20), due in an hour. Otherwise no batch
     * work.
     */
    public static WorkloadSpec of(
            Scenario scenario, double rateMultiplier, Duration duration, long seed) {
        return switch (scenario) {
            case MIXED ->
                    new WorkloadSpec(
                            scenario,
                            rateMultiplier,
                            duration,
                            seed,
                            (int) Math.round(1000 * rateMultiplier),
                            Duration.ofMinutes(1),
                            Duration.ofMinutes(15),
                            Duration.ofHours(1));
            case BATCH_BACKLOG ->
                    new WorkloadSpec(
                            scenario,
                            rateMultiplier,
                            duration,
                            seed,
                            (int) Math.round(25_000 * rateMultiplier),
                            Duration.ZERO,
                            Duration.ofDays(365),
                            Duration.ofHours(1));
            case INTERACTIVE, BURSTY ->
                    new WorkloadSpec(
                            scenario,
                            rateMultiplier,
                            duration,
                            seed,
                            0,
                            Duration.ofMinutes(1),
                            Duration.ofMinutes(15),
                            Duration.ofHours(1));
        };
    }

    public WorkloadSpec withBatch(int bulk, Duration firstAt, Duration every, Duration deadline) {
        return new WorkloadSpec(
                scenario, rateMultiplier, duration, seed, bulk, firstAt, every, deadline);
    }
}
