package io.chiron.policy.signals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencySketchTest {
    private static final double[] PERCENTILES = {50, 95, 99};

    private static double[] percentiles(LatencySketch s) {
        double[] p = new double[PERCENTILES.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = s.at(PERCENTILES[i], 1);
        }
        return p;
    }

    private static LatencySketch roundTrip(LatencySketch s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.writeTo(new DataOutputStream(bytes));
        return LatencySketch.readFrom(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    /**
     * However the values are split into partial sketches (pre-aggregated per subtask, merged per
     * window, some shipped before a checkpoint), the merged percentiles are those of one
     * HdrHistogram holding them all.
     */
    @Property(tries = 200, seed = "42")
    void mergedPartialsAnswerAsOneHistogram(
            @ForAll @Size(min = 1, max = 400) List<@LongRange(min = 0, max = 120_000) Long> values,
            @ForAll @IntRange(min = 1, max = 9) int parts,
            @ForAll boolean shipPartials)
            throws IOException {
        Histogram reference = new Histogram(2);
        reference.setAutoResize(true);
        List<LatencySketch> partials = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            partials.add(new LatencySketch());
        }
        for (int i = 0; i < values.size(); i++) {
            reference.recordValue(values.get(i));
            partials.get(i % parts).record(values.get(i), 1);
        }
        LatencySketch merged = new LatencySketch();
        for (LatencySketch p : partials) {
            merged.merge(shipPartials ? roundTrip(p) : p);
        }
        assertThat(merged.totalCount()).isEqualTo(values.size());
        for (double p : PERCENTILES) {
            assertThat(merged.at(p, 1)).as("p%s", p).isEqualTo(reference.getValueAtPercentile(p));
        }
        // Merging left the partials as they were.
        assertThat(partials.stream().mapToLong(LatencySketch::totalCount).sum())
                .isEqualTo(values.size());
    }

    /**
     * Compaction at any moment (a percentile asked, a partial shipped, the pending pairs full)
     * merges the new pairs into the compacted ones without changing an answer: after every {@code
     * every} values the sketch is asked, and it answers as an HdrHistogram holding the same values.
     */
    @Property(tries = 200, seed = "7")
    void compactingAtAnyMomentKeepsTheAnswers(
            @ForAll @Size(min = 1, max = 600) List<@LongRange(min = 0, max = 200_000) Long> values,
            @ForAll @IntRange(min = 1, max = 100) int every) {
        Histogram reference = new Histogram(2);
        reference.setAutoResize(true);
        LatencySketch sketch = new LatencySketch();
        for (int i = 0; i < values.size(); i++) {
            reference.recordValue(values.get(i));
            sketch.record(values.get(i), 1);
            if (i % every == every - 1) {
                assertThat(sketch.at(50, 1)).isEqualTo(reference.getValueAtPercentile(50));
            }
        }
        for (double p : PERCENTILES) {
            assertThat(sketch.at(p, 1)).as("p%s", p).isEqualTo(reference.getValueAtPercentile(p));
        }
        assertThat(sketch.at(0, 1)).isEqualTo(reference.getValueAtPercentile(0));
        assertThat(sketch.totalCount()).isEqualTo(values.size());
    }

    @Test
    void holdsOnePairPerBucketHoweverManyValues() throws IOException {
        LatencySketch few = new LatencySketch();
        few.record(120, 3);
        few.record(4_000, 1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        few.writeTo(new DataOutputStream(bytes));
        // A count and two (value, count) pairs: no histogram array.
        assertThat(bytes.size()).isEqualTo(4 + 2 * 16);
        assertThat(percentiles(roundTrip(few))).containsExactly(percentiles(few));

        // Ten thousand TTFTs between 400 and 600 ms fall into 1 %-wide buckets: about a hundred
        // pairs (a dense two-digit histogram up to 600 would hold over 500 counts).
        LatencySketch many = new LatencySketch();
        for (int i = 0; i < 10_000; i++) {
            many.record(400 + (i * 7919L) % 200, 1);
        }
        assertThat(many.pairs()).isBetween(50, 110);
        LatencySketch back = roundTrip(many);
        assertThat(back.totalCount()).isEqualTo(10_000);
        assertThat(percentiles(back)).containsExactly(percentiles(many));
    }

    @Test
    void anEmptySketchAnswersZeroAndCorruptInputIsNamed() throws IOException {
        assertThat(new LatencySketch().at(99, 1)).isZero();
        assertThat(roundTrip(new LatencySketch()).totalCount()).isZero();
        byte[] corrupt = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(
                        () ->
                                LatencySketch.readFrom(
                                        new DataInputStream(new ByteArrayInputStream(corrupt))))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("pair 5 x 0");
    }
}
