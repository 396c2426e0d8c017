package io.chiron.policy.signals;

import org.HdrHistogram.Histogram;

/** Mergeable latency sketches: HdrHistogram with two significant digits (1 % value error). */
final class Percentiles {
    private Percentiles() {}

    static Histogram newHistogram() {
        // Auto-resizing: starts small, grows with the value range actually recorded.
        Histogram h = new Histogram(2);
        h.setAutoResize(true);
        return h;
    }

    static double at(Histogram h, double percentile, double scale) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / scale;
    }
}
