package io.chiron.jobs.functions;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

import java.io.Serializable;
import java.time.Duration;

/**
 * Values a record may decode to but no serving instance could have sent: negative counts,
 * non-finite latencies, event times far from when Kafka received the record. Such a record is a
 * dead letter with the reason, like one that does not decode.
 */
public final class Validation implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How far an event time may lie from the record's Kafka timestamp. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

    private Validation() {}

    /** Why the record is unusable, or null when it is fine. */
    public static String check(Object record, long kafkaTimestampMs) {
        if (record instanceof RequestEvent e) {
            return request(e, kafkaTimestampMs);
        }
        if (record instanceof InstanceHeartbeat h) {
            return heartbeat(h, kafkaTimestampMs);
        }
        return null;
    }

    private static String request(RequestEvent e, long kafkaTs) {
        if (e.getRequestId().isEmpty() || e.getModel().isEmpty()) {
            return "request event without a request id or model";
        }
        if (e.getPromptTokens() < 0 || e.getOutputTokens() < 0) {
            return "negative token count: prompt "
                    + e.getPromptTokens()
                    + ", output "
                    + e.getOutputTokens();
        }
        if (e.getQueueWaitMs() < 0 || e.getSloItlMs() < 0 || e.getSloTtftMs() < 0) {
            return "negative queue wait or SLO";
        }
        if (e.getTtftMs() != null && e.getTtftMs() < 0) {
            return "negative TTFT " + e.getTtftMs();
        }
        if (e.getItlMeanMs() != null && !(e.getItlMeanMs() >= 0)) {
            return "ITL mean is negative or not a number: " + e.getItlMeanMs();
        }
        return time(e.getTsMs(), kafkaTs);
    }

    private static String heartbeat(InstanceHeartbeat h, long kafkaTs) {
        if (h.getInstanceId().isEmpty() || h.getModel().isEmpty()) {
            return "heartbeat without an instance id or model";
        }
        if (h.getBatchCap() < 0
                || h.getRunning() < 0
                || h.getRunningInteractive() < 0
                || h.getRunningBatch() < 0
                || h.getSwapped() < 0
                || h.getDecodeSteps() < 0
                || h.getOutputTokens() < 0
                || h.getPrefillTokens() < 0
                || h.getKvUsedTokens() < 0
                || h.getKvCapacityTokens() < 0
                || h.getIntervalMs() < 0) {
            return "heartbeat with a negative count";
        }
        if (!(h.getItlMeanMs() >= 0)
                || !(h.getItlMaxMs() >= 0)
                || Double.isInfinite(h.getItlMeanMs())) {
            return "heartbeat ITL is negative or not a number: " + h.getItlMeanMs();
        }
        return time(h.getTsMs(), kafkaTs);
    }

    private static String time(long ts, long kafkaTs) {
        if (ts <= 0) {
            return "event time " + ts + " is not a time";
        }
        if (kafkaTs > 0 && Math.abs(ts - kafkaTs) > MAX_CLOCK_SKEW.toMillis()) {
            return "event time "
                    + ts
                    + " is more than a day from the record's Kafka timestamp "
                    + kafkaTs;
        }
        return null;
    }
}
