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

    /** One pair per bucket, in value order: each value replaced by its bucket's lowest value. */
    private void compact() {
        if (size == compacted) {
            return;
        }
        // The pairs since the last compaction, to their buckets. Most fall into a bucket the
        // compacted prefix has already (a binary search, the count added in place); the rest are
        // new buckets, sorted (insertion sort: a few at most) and merged in.
        int m = size - compacted;
        long[] v = null;
        long[] c = null;
        int k = 0;
        for (int i = compacted; i < size; i++) {
            long value = BUCKETS.lowestEquivalentValue(values[i]);
            int at = Arrays.binarySearch(values, 0, compacted, value);
            if (at >= 0) {
                counts[at] += counts[i];
                continue;
            }
            if (v == null) {
                v = new long[m];
                c = new long[m];
            }
            long count = counts[i];
            int j = k - 1;
            while (j >= 0 && v[j] > value) {
                v[j + 1] = v[j];
                c[j + 1] = c[j];
                j--;
            }
            v[j + 1] = value;
            c[j + 1] = count;
            k++;
        }
        if (k == 0) {
            size = compacted;
            return;
        }
        // Merged with the compacted prefix, equal buckets added up.
        long[] mv = new long[Math.max(8, compacted + k + COMPACT_AT)];
        long[] mc = new long[mv.length];
        int n = 0;
        int i = 0;
        int x = 0;
        while (i < compacted || x < k) {
            long value;
            long count;
            if (x >= k || (i < compacted && values[i] <= v[x])) {
                value = values[i];
                count = counts[i++];
            } else {
                value = v[x];
                count = c[x++];
            }
            if (n > 0 && mv[n - 1] == value) {
                mc[n - 1] += count;
            } else {
                mv[n] = value;
                mc[n] = count;
                n++;
            }
        }
        values = mv;
        counts = mc;
        size = n;
        compacted = n;
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
