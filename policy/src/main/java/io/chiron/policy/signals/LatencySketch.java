package io.chiron.policy.signals;

import org.HdrHistogram.Histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A mergeable latency sketch with the buckets of an HdrHistogram of two significant digits (1 %
 * value error), kept sparse: the (value, count) pairs recorded, compacted into one pair per
 * non-empty bucket when they pile up. A window of a few requests costs a few pairs, in memory, on
 * the wire and in state, where a dense histogram costs its whole counts array (kilobytes per
 * sketch, three sketches per window, seven windows per instance). Percentiles are the
 * HdrHistogram's, walked over the pairs: the same values give the same answer whether they were
 * recorded into one sketch or merged from many.
 */
final class LatencySketch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Buckets of a two-digit HdrHistogram; used for its bucket arithmetic only. */
    private static final Histogram BUCKETS = new Histogram(2);

    /** Pairs past which a sketch is compacted to one pair per bucket. */
    static final int COMPACT_AT = 64;

    private long[] values;
    private long[] counts;
    private int size;

    /** Size after the last compaction: pairs below it are distinct buckets, in order. */
    private int compacted;

    private long total;

    /** Records {@code count} observations of {@code value} (negative values count as 0). */
    void record(long value, long count) {
        if (count <= 0) {
            return;
        }
        total += count;
        // Kept as its bucket's lowest value, which compaction would make it anyway: a value whose
        // bucket the sketch holds already is counted in place, without a pair of its own.
        long bucket = BUCKETS.lowestEquivalentValue(Math.max(0, value));
        if (size > 0 && values[size - 1] == bucket) {
            counts[size - 1] += count;
            return;
        }
        if (compacted > 0) {
            int at = Arrays.binarySearch(values, 0, compacted, bucket);
            if (at >= 0) {
                counts[at] += count;
                return;
            }
        }
        if (values == null) {
            values = new long[8];
            counts = new long[8];
        } else if (size == values.length) {
            if (size - compacted >= COMPACT_AT) {
                compact();
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
        }
        values[size] = bucket;
        counts[size] = count;
        size++;
    }

    /** Adds {@code other}'s observations; {@code other} is left as it was and never shared. */
    void merge(LatencySketch other) {
        for (int i = 0; i < other.size; i++) {
            record(other.values[i], other.counts[i]);
        }
    }

    long totalCount() {
        return total;
    }

    /** Distinct pairs held (after compaction): the sketch's size in memory and on the wire. */
    int pairs() {
        compact();
        return size;
    }

    /**
     * The values at {@code percentiles}, divided by {@code scale}; zeros when empty. The answer is
     * HdrHistogram's {@code getValueAtPercentile}, computed on the compacted pairs (which are its
     * non-empty buckets, in order) instead of a dense counts array made for the question.
     */
    double[] percentiles(double scale, double... percentiles) {
        double[] out = new double[percentiles.length];
        if (total == 0) {
            return out;
        }
        compact();
        for (int p = 0; p < percentiles.length; p++) {
            double requested =
                    Math.min(
                            Math.max(Math.nextAfter(percentiles[p], Double.NEGATIVE_INFINITY), 0),
                            100);
            long countAtPercentile = Math.max(1, (long) Math.ceil(requested * total / 100.0));
            long cumulative = 0;
            for (int i = 0; i < size; i++) {
                cumulative += counts[i];
                if (cumulative >= countAtPercentile) {
                    long value =
                            percentiles[p] == 0
                                    ? values[i]
                                    : BUCKETS.highestEquivalentValue(values[i]);
                    out[p] = value / scale;
                    break;
                }
            }
        }
        return out;
    }

    /** The value at {@code percentile}, divided by {@code scale}; 0 when empty. */
    double at(double percentile, double scale) {
        return percentiles(scale, percentile)[0];
    }

    /**
     * One pair per bucket, in value order. The pairs since the last compaction are buckets already
     * ({@link #record} keeps each as its bucket's lowest value) and none of them is a bucket of the
     * compacted prefix ({@link #record} counts those in place), so compaction sorts the few new
     * pairs where they are, adds up their equal buckets and merges them into the prefix from the
     * back: no allocation but a copy of the new pairs, and none at all for a sketch compacted the
     * first time (a partial window's, whose sketches hold a handful of values).
     */
    private void compact() {
        if (size == compacted) {
            return;
        }
        // The new pairs sorted in place (insertion sort: at most COMPACT_AT and a few).
        for (int i = compacted + 1; i < size; i++) {
            long value = values[i];
            long count = counts[i];
            int j = i - 1;
            while (j >= compacted && values[j] > value) {
                values[j + 1] = values[j];
                counts[j + 1] = counts[j];
                j--;
            }
            values[j + 1] = value;
            counts[j + 1] = count;
        }
        // Their equal buckets added up.
        int end = compacted;
        for (int i = compacted; i < size; i++) {
            if (end > compacted && values[end - 1] == values[i]) {
                counts[end - 1] += counts[i];
            } else {
                values[end] = values[i];
                counts[end] = counts[i];
                end++;
            }
        }
        if (compacted > 0) {
            // Merged into the prefix from the back: the two runs share no bucket.
            int k = end - compacted;
            long[] newValues = Arrays.copyOfRange(values, compacted, end);
            long[] newCounts = Arrays.copyOfRange(counts, compacted, end);
            int i = compacted - 1;
            int x = k - 1;
            for (int out = end - 1; x >= 0; out--) {
                if (i >= 0 && values[i] > newValues[x]) {
                    values[out] = values[i];
                    counts[out] = counts[i--];
                } else {
                    values[out] = newValues[x];
                    counts[out] = newCounts[x--];
                }
            }
        }
        size = end;
        compacted = end;
    }

    void writeTo(DataOutput out) throws IOException {
        compact();
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeLong(values[i]);
            out.writeLong(counts[i]);
        }
    }

    static LatencySketch readFrom(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 20) {
            throw new IOException("corrupt latency sketch: " + n + " pairs");
        }
        LatencySketch s = new LatencySketch();
        for (int i = 0; i < n; i++) {
            long value = in.readLong();
            long count = in.readLong();
            if (value < 0 || count <= 0) {
                throw new IOException("corrupt latency sketch: pair " + value + " x " + count);
            }
            s.record(value, count);
        }
        s.compacted = s.size;
        return s;
    }
}
