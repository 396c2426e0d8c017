package io.chiron.jobs.functions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RobustWatermarksTest {

    /** Collects what the generator emits. */
    private static final class Out implements WatermarkOutput {
        final List<Long> marks = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark w) {
            marks.add(w.getTimestamp());
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    @Test
    void oneRecordFarAheadDoesNotMoveTheWatermark() {
        var gen = new RobustWatermarks<String>(Duration.ofSeconds(2));
        Out out = new Out();
        gen.onPeriodicEmit(out); // nothing seen: nothing emitted
        for (long ts : new long[] {10_000, 11_000, 12_000}) {
            gen.onEvent("r", ts, out);
        }
        gen.onPeriodicEmit(out);
        // Second-largest 11,000, less 2,000 of out-of-orderness, less 1 (Flink's convention).
        assertThat(out.marks).containsExactly(8_999L);
        gen.onEvent("poison", 86_400_000L + 12_000, out);
        gen.onPeriodicEmit(out);
        // The poison is the largest; the second-largest is now 12,000: 12,000 - 2,001.
        assertThat(out.marks).containsExactly(8_999L, 9_999L);
        gen.onEvent("r", 13_000, out);
        gen.onPeriodicEmit(out);
        assertThat(out.marks).endsWith(10_999L);
    }
}
