package io.chiron.jobs.functions;

/**
 * The second-largest of the timestamps offered so far: a statistic that no single value can move,
 * however far ahead it lies. {@link Long#MIN_VALUE} until two values were offered.
 */
final class SecondLargest implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private long first = Long.MIN_VALUE;
    private long second = Long.MIN_VALUE;

    void offer(long v) {
        if (v > first) {
            second = first;
            first = v;
        } else if (v > second) {
            second = v;
        }
    }

    long value() {
        return second;
    }

    void reset(long v) {
        first = v;
        second = Long.MIN_VALUE;
    }
}
