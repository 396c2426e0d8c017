package io.chiron.gateway;

import io.chiron.records.RequestClass;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/** One client request from its arrival at the gateway to its end. Event-loop confined. */
final class Pending {
    final String id;
    final long seq;
    final RequestClass requestClass;
    final String model;
    final String path;
    final JsonObject body;
    final boolean stream;
    final boolean clientWantsUsage;
    final long arrivalMs;
    final long arrivalNanos;
    final Long deadlineMs;
    final int promptTokensEstimate;
    final HttpServerRequest client;

    Backend backend;
    long startedMs;
    long dispatchedNanos = -1;
    long sentNanos = -1;
    long headersNanos = -1;
    long firstTokenNanos = -1;
    long lastTokenNanos = -1;
    int tokens;
    Integer usagePrompt;
    Integer usageCompletion;
    int attempts;
    boolean done;
    Runnable cancelUpstream = () -> {};

    Pending(
            String id,
            long seq,
            RequestClass requestClass,
            String model,
            String path,
            JsonObject body,
            long arrivalMs,
            long arrivalNanos,
            Long deadlineMs,
            int bodyBytes,
            HttpServerRequest client) {
        this.id = id;
        this.seq = seq;
        this.requestClass = requestClass;
        this.model = model;
        this.path = path;
        this.body = body;
        this.stream = body.getBoolean("stream", false);
        JsonObject options = body.getJsonObject("stream_options");
        this.clientWantsUsage = options != null && options.getBoolean("include_usage", false);
        this.arrivalMs = arrivalMs;
        this.arrivalNanos = arrivalNanos;
        this.deadlineMs = deadlineMs;
        // Until the instance's usage says: about four bytes of prompt per token.
        this.promptTokensEstimate = Math.max(1, bodyBytes / 4);
        this.client = client;
    }

    boolean interactive() {
        return requestClass == RequestClass.INTERACTIVE;
    }

    /** Time to first token as the client saw it, ms, or null before one. */
    Long ttftMs() {
        return firstTokenNanos < 0 ? null : (firstTokenNanos - arrivalNanos) / 1_000_000;
    }

    /** Mean inter-token latency over the tokens after the first, ms, or null. */
    Double itlMeanMs() {
        int n = outputTokens();
        if (firstTokenNanos < 0 || n <= 1 || lastTokenNanos <= firstTokenNanos) {
            return null;
        }
        return (lastTokenNanos - firstTokenNanos) / 1e6 / (n - 1);
    }

    int outputTokens() {
        return usageCompletion != null ? usageCompletion : tokens;
    }
}
