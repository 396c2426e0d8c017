package io.chiron.jobs.functions;

import io.chiron.jobs.records.Decoded;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.time.Duration;

/**
 * Bounded out-of-orderness, from the second-largest event time seen instead of the largest: Flink's
 * {@code BoundedOutOfOrdernessWatermarks} follows a single record however far ahead it lies, and
 * then every valid record behind it is late. Here one record cannot move the watermark; in order
 * telemetry, the second-largest is a record or two behind the largest. The job runs one per Kafka
 * partition ({@link #ofDecoded}), in the source.
 */
public final class RobustWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final SecondLargest seen = new SecondLargest();

    public RobustWatermarks(Duration outOfOrderness) {
        this.outOfOrdernessMs = outOfOrderness.toMillis();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        seen.offer(eventTimestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long second = seen.value();
        if (second != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(second - outOfOrdernessMs - 1));
        }
    }

    /** The watermark of a partition's decoded records: a dead letter has no event time to count. */
    public static <T> WatermarkGenerator<Decoded<T>> ofDecoded(Duration outOfOrderness) {
        RobustWatermarks<T> robust = new RobustWatermarks<>(outOfOrderness);
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(Decoded<T> event, long eventTimestamp, WatermarkOutput output) {
                if (event.deadLetter == null) {
                    robust.onEvent(event.value, eventTimestamp, output);
                }
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                robust.onPeriodicEmit(output);
            }
        };
    }
}
