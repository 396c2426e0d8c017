package io.chiron.policy.global;

import java.time.Duration;
import java.util.Arrays;

/**
 * The interactive demand of one season ago (a day, by default): what a recurring rise, a crowd that
 * comes at the same minute every day, looked like the last time, so that the pool is sized for it
 * one cold start before it comes again. Seasonal naive: per bucket of the season, the peak 15 s
 * step of the season before, with no smoothing across seasons, so one season of history is enough
 * and a pattern that changes is followed after one season. Ahead of now it takes the higher of the
 * last two seasons: a crowd whose minute moves from day to day is bracketed by two of its days
 * rather than expected at yesterday's alone. Kept in {@link PoolState}'s arrays.
 *
 * <p>Only a rise counts, and only a large one: the peak of the last season over the horizon must be
 * at least {@link #RISE} times its demand at the same time of that season. Smaller recurring swings
 * are within what Holt's trend and margin follow, and what the burst reserve holds for (the
 * conversation trace's short-burst peak-to-mean is 1.4-1.8); counting them would add a season's
 * noise to every forecast.
 */
final class Season {
    /** How many times the season's demand now its peak over the horizon must be. */
    static final double RISE = 2;

    /** The most buckets a season has: a day in minutes. */
    static final int MAX_BUCKETS = 1_440;

    private Season() {}

    /** The bucket width for a season: whole steps, at most {@link #MAX_BUCKETS} of them. */
    static long bucketMs(Duration season, Duration step) {
        long stepMs = step.toMillis();
        long perBucket = Math.max(1, (season.toMillis() / MAX_BUCKETS + stepMs - 1) / stepMs);
        return perBucket * stepMs;
    }

    /** Records the demand of the step ending at {@code tMs} (epoch ms). */
    static void record(PoolState s, long tMs, double demand, Duration season, long bucketMs) {
        long seasonMs = season.toMillis();
        int buckets = (int) ((seasonMs + bucketMs - 1) / bucketMs);
        if (s.seasonMs != seasonMs || s.seasonPeak.length != buckets) {
            s.seasonMs = seasonMs;
            s.seasonPeak = new double[buckets];
            s.seasonBefore = new double[buckets];
            s.seasonIndex = new long[buckets];
            Arrays.fill(s.seasonIndex, Long.MIN_VALUE);
            Arrays.fill(s.seasonBefore, Double.NaN);
        }
        long k = Math.floorDiv(tMs, seasonMs);
        int b = bucket(tMs, seasonMs, bucketMs, buckets);
        if (s.seasonIndex[b] != k) {
            // This season's first step in the bucket: its last pass becomes the one before, if
            // it was the season just before (a gap of a season or more forgets it).
            s.seasonBefore[b] = s.seasonIndex[b] == k - 1 ? s.seasonPeak[b] : Double.NaN;
            s.seasonPeak[b] = demand;
            s.seasonIndex[b] = k;
        } else {
            s.seasonPeak[b] = Math.max(s.seasonPeak[b], demand);
        }
    }

    /** The peak step of the bucket holding {@code tMs}, one season before it; NaN if unknown. */
    static double oneSeasonBefore(PoolState s, long tMs, long bucketMs) {
        if (s.seasonMs == 0 || s.seasonPeak.length == 0) {
            return Double.NaN;
        }
        long k = Math.floorDiv(tMs, s.seasonMs);
        int b = bucket(tMs, s.seasonMs, bucketMs, s.seasonPeak.length);
        if (s.seasonIndex[b] == k - 1) {
            return s.seasonPeak[b];
        }
        return s.seasonIndex[b] == k ? s.seasonBefore[b] : Double.NaN;
    }

    /**
     * The higher of the last two seasons' peaks for a bucket not yet recorded this season (a time
     * ahead of now); the one season before alone where the one before that is unknown.
     */
    static double lastTwoSeasons(PoolState s, long tMs, long bucketMs) {
        double one = oneSeasonBefore(s, tMs, bucketMs);
        if (Double.isNaN(one)) {
            return one;
        }
        long k = Math.floorDiv(tMs, s.seasonMs);
        int b = bucket(tMs, s.seasonMs, bucketMs, s.seasonPeak.length);
        double two = s.seasonIndex[b] == k - 1 ? s.seasonBefore[b] : Double.NaN;
        return Double.isNaN(two) ? one : Math.max(one, two);
    }

    /**
     * The demand to size for over {@code (nowMs, nowMs + horizonMs]} by the seasons before: {@code
     * recent} plus the rise they had over the same span (the higher of the last two), when that
     * peak was at least {@link #RISE} times the season before's demand at {@code nowMs}; 0 when it
     * was not, or when a season of history is missing.
     */
    static double ahead(PoolState s, long nowMs, long horizonMs, long bucketMs, double recent) {
        double base = oneSeasonBefore(s, nowMs, bucketMs);
        if (Double.isNaN(base)) {
            return 0;
        }
        double peak = Double.NaN;
        for (long t = nowMs + bucketMs; ; t += bucketMs) {
            long at = Math.min(t, nowMs + horizonMs);
            double v = lastTwoSeasons(s, at, bucketMs);
            if (!Double.isNaN(v) && !(v <= peak)) {
                peak = v;
            }
            if (at == nowMs + horizonMs) {
                break;
            }
        }
        if (Double.isNaN(peak) || peak < RISE * base || peak <= 0) {
            return 0;
        }
        return recent + (peak - base);
    }

    private static int bucket(long tMs, long seasonMs, long bucketMs, int buckets) {
        return (int) Math.min(buckets - 1, Math.floorMod(tMs, seasonMs) / bucketMs);
    }
}
