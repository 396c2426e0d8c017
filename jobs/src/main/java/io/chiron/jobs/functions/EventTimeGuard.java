package io.chiron.jobs.functions;

import java.io.Serializable;
import java.time.Duration;

/**
 * Keeps one record from moving a source's event time: a record whose event time lies more than
 * {@code maxAhead} beyond the source's recent telemetry (the second-largest event time accepted,
 * which no single record sets) is refused. A jump that persists is believed: after {@code confirm}
 * refused records in a row, the next one starts the source's time afresh (a producer's clock was
 * set forward, or a new recording was appended to the topic).
 */
public final class EventTimeGuard implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_MAX_AHEAD = Duration.ofMinutes(5);
    public static final int DEFAULT_CONFIRM = 16;

    private final long maxAheadMs;
    private final int confirm;
    private final SecondLargest recent = new SecondLargest();
    private int refusedInARow;

    public EventTimeGuard(Duration maxAhead, int confirm) {
        this.maxAheadMs = maxAhead.toMillis();
        this.confirm = confirm;
    }

    /** Why the event time is refused, or null when it is accepted (and counted as recent). */
    public String check(long ts) {
        long reference = recent.value();
        if (reference != Long.MIN_VALUE && ts - reference > maxAheadMs) {
            if (++refusedInARow <= confirm) {
                return "event time "
                        + ts
                        + " is "
                        + Duration.ofMillis(ts - reference)
                        + " ahead of this source's recent telemetry ("
                        + reference
                        + "), more than chiron.time.max-ahead ("
                        + Duration.ofMillis(maxAheadMs)
                        + ")";
            }
            recent.reset(ts);
            refusedInARow = 0;
            return null;
        }
        refusedInARow = 0;
        recent.offer(ts);
        return null;
    }
}
