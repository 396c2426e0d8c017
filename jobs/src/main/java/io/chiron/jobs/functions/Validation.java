package io.chiron.jobs.functions;

import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

import java.io.Serializable;
import java.time.Duration;

/**
 * Values a record may decode to but no serving instance could have sent: negative counts,
 * non-finite or absurd latencies, ids longer than the configured bound, event times far from when
 * Kafka received the record. Such a record is a dead letter with the reason, like one that does not
 * decode. Everything a client controls is bounded here, before the record reaches state.
 */
public final class Validation implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longest id or name (request, instance, model, drop reason) by default, in characters. */
    public static final int DEFAULT_MAX_STRING_LENGTH = 256;

    /** How far an event time may lie from the record's Kafka timestamp by default. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    /** Longest TTFT or queue wait a request may report: a day. */
    static final long MAX_WAIT_MS = Duration.ofDays(1).toMillis();

    /** Longest inter-token latency or heartbeat interval an instance may report: an hour. */
    static final double MAX_ITL_MS = Duration.ofHours(1).toMillis();

    private final int maxStringLength;
    private final long maxSkewMs;

    /**
     * @param maxStringLength longest id or name accepted, in characters
     * @param maxSkew how far an event time may lie from the record's Kafka timestamp
     */
    public Validation(int maxStringLength, Duration maxSkew) {
        this.maxStringLength = maxStringLength;
        this.maxSkewMs = maxSkew.toMillis();
    }

    public static Validation defaults() {
        return new Validation(DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_CLOCK_SKEW);
    }

    /** Why the record is unusable, or null when it is fine. */
    public String check(Object record, long kafkaTimestampMs) {
        if (record instanceof RequestEvent e) {
            return request(e, kafkaTimestampMs);
        }
        if (record instanceof InstanceHeartbeat h) {
            return heartbeat(h, kafkaTimestampMs);
        }
        return null;
    }

    private String request(RequestEvent e, long kafkaTs) {
        if (e.getRequestId().isEmpty() || e.getModel().isEmpty()) {
            return "request event without a request id or model";
        }
        // The pairs' array only for a record that has a string too long (it was 4 % of the bytes
        // the source task allocated, one array per event).
        if (!(fits(e.getRequestId())
                && fits(e.getModel())
                && fits(e.getInstanceId())
                && fits(e.getDropReason()))) {
            return firstTooLong(
                    "request id", e.getRequestId(),
                    "model", e.getModel(),
                    "instance id", e.getInstanceId(),
                    "drop reason", e.getDropReason());
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
        if (e.getQueueWaitMs() > MAX_WAIT_MS) {
            return "queue wait " + e.getQueueWaitMs() + " ms is more than a day";
        }
        if (e.getTtftMs() != null && (e.getTtftMs() < 0 || e.getTtftMs() > MAX_WAIT_MS)) {
            return "TTFT " + e.getTtftMs() + " ms is negative or more than a day";
        }
        if (e.getItlMeanMs() != null
                && !(e.getItlMeanMs() >= 0 && e.getItlMeanMs() <= MAX_ITL_MS)) {
            return "ITL mean " + e.getItlMeanMs() + " ms is negative, not a number or over an hour";
        }
        return time(e.getTsMs(), kafkaTs);
    }

    private String heartbeat(InstanceHeartbeat h, long kafkaTs) {
        if (h.getInstanceId().isEmpty() || h.getModel().isEmpty()) {
            return "heartbeat without an instance id or model";
        }
        if (!(fits(h.getInstanceId()) && fits(h.getModel()))) {
            return firstTooLong("instance id", h.getInstanceId(), "model", h.getModel());
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
        if (h.getIntervalMs() > MAX_ITL_MS) {
            return "heartbeat interval " + h.getIntervalMs() + " ms is over an hour";
        }
        if (!(h.getItlMeanMs() >= 0 && h.getItlMeanMs() <= MAX_ITL_MS)
                || !(h.getItlMaxMs() >= 0 && h.getItlMaxMs() <= MAX_ITL_MS)) {
            return "heartbeat ITL (mean "
                    + h.getItlMeanMs()
                    + " ms, max "
                    + h.getItlMaxMs()
                    + " ms) is negative, not a number or over an hour";
        }
        return time(h.getTsMs(), kafkaTs);
    }

    private boolean fits(CharSequence value) {
        return value == null || value.length() <= maxStringLength;
    }

    /** The first of (name, value) pairs whose value is longer than the bound, said, or null. */
    private String firstTooLong(CharSequence... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            CharSequence value = namesAndValues[i + 1];
            if (value != null && value.length() > maxStringLength) {
                return namesAndValues[i]
                        + " of "
                        + value.length()
                        + " characters is longer than chiron.limits.max-string-length ("
                        + maxStringLength
                        + ")";
            }
        }
        return null;
    }

    private String time(long ts, long kafkaTs) {
        if (ts <= 0) {
            return "event time " + ts + " is not a time";
        }
        if (kafkaTs <= 0) {
            return "Kafka timestamp " + kafkaTs + " is not a time";
        }
        if (Math.abs(ts - kafkaTs) > maxSkewMs) {
            return "event time "
                    + ts
                    + " is more than chiron.time.max-skew ("
                    + Duration.ofMillis(maxSkewMs)
                    + ") from the record's Kafka timestamp "
                    + kafkaTs;
        }
        return null;
    }
}
