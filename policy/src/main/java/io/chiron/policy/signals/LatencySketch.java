package io.chiron.policy.signals;

import org.HdrHistogram.Histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A mergeable latency sketch: an HdrHistogram with two significant digits (1 % value error), which
 * holds its first few values as they are and makes the histogram only when it needs one (more
 * values, or a percentile). A window of a handful of requests then costs a few bytes and no
 * histogram, on the wire and in state, while percentiles are always the histogram's: the same
 * values give the same answer whether they were recorded into one sketch or merged from many.
 */
final class LatencySketch implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Values held as they are before a histogram is made. */
    static final int MAX_RAW = 64;

    private static final byte RAW = 0;
    private static final byte HISTOGRAM = 1;

    private long[] values;
    private long[] counts;
    private int size;
    private Histogram histogram;
    private long total;

    /** Records {@code count} observations of {@code value} (negative values count as 0). */
    void record(long value, long count) {
        if (count <= 0) {
            return;
        }
        long v = Math.max(0, value);
        total += count;
        if (histogram == null && size == MAX_RAW) {
            promote();
        }
        if (histogram != null) {
            histogram.recordValueWithCount(v, count);
            return;
        }
        if (values == null) {
            values = new long[8];
            counts = new long[8];
        } else if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        values[size] = v;
        counts[size] = count;
        size++;
    }

    /** Adds {@code other}'s observations; {@code other} is left as it was and never shared. */
    void merge(LatencySketch other) {
        if (other.total == 0) {
            return;
        }
        if (other.histogram != null) {
            promote();
            histogram.add(other.histogram);
            total += other.total;
            return;
        }
        for (int i = 0; i < other.size; i++) {
            record(other.values[i], other.counts[i]);
        }
    }

    long totalCount() {
        return total;
    }

    /** The value at {@code percentile}, divided by {@code scale}; 0 when empty. */
    double at(double percentile, double scale) {
        if (total == 0) {
            return 0;
        }
        promote();
        return histogram.getValueAtPercentile(percentile) / scale;
    }

    private void promote() {
        if (histogram != null) {
            return;
        }
        // Auto-resizing: starts small, grows with the value range actually recorded.
        histogram = new Histogram(2);
        histogram.setAutoResize(true);
        for (int i = 0; i < size; i++) {
            histogram.recordValueWithCount(values[i], counts[i]);
        }
        values = null;
        counts = null;
        size = 0;
    }

    void writeTo(DataOutput out) throws IOException {
        if (histogram == null) {
            out.writeByte(RAW);
            out.writeInt(size);
            for (int i = 0; i < size; i++) {
                out.writeLong(values[i]);
                out.writeLong(counts[i]);
            }
            return;
        }
        out.writeByte(HISTOGRAM);
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoByteBuffer(buffer);
        out.writeInt(length);
        out.write(buffer.array(), 0, length);
    }

    static LatencySketch readFrom(DataInput in) throws IOException {
        LatencySketch s = new LatencySketch();
        byte tag = in.readByte();
        if (tag == RAW) {
            int n = in.readInt();
            if (n < 0 || n > MAX_RAW) {
                throw new IOException("corrupt latency sketch: " + n + " raw values");
            }
            for (int i = 0; i < n; i++) {
                s.record(in.readLong(), in.readLong());
            }
        } else if (tag == HISTOGRAM) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            s.histogram = Histogram.decodeFromByteBuffer(ByteBuffer.wrap(bytes), 0);
            s.histogram.setAutoResize(true);
            s.total = s.histogram.getTotalCount();
        } else {
            throw new IOException("corrupt latency sketch: tag " + tag);
        }
        return s;
    }
}
