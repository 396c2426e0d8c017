package io.chiron.core;

import java.io.Serializable;
import java.time.Duration;

/**
 * The control loop's clock: the signal window (the local period), the global period, and the cold
 * start a new instance takes. Every window-derived constant is computed from these, never written
 * as a number of windows.
 */
public record LoopTiming(Duration window, Duration globalPeriod, Duration coldStart)
        implements Serializable {

    public LoopTiming {
        if (window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("the window must be positive, was " + window);
        }
    }

    /** How many whole windows span {@code d}, at least one. */
    public int windows(Duration d) {
        return (int) Math.max(1, d.toMillis() / window.toMillis());
    }

    /** Seconds that {@code n} windows span. */
    public double seconds(int n) {
        return n * window.toMillis() / 1000.0;
    }
}
