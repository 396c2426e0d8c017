package io.chiron.app.demo;

import io.chiron.fleet.report.ClassOutcome;
import io.chiron.fleet.workload.Workload;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP demo's load generator: replays a workload's arrivals in real time as OpenAI streamed
 * completions to the gateway (a prompt of as many words as the trace's prompt tokens, {@code
 * max_tokens} its output tokens, the class and a batch deadline in headers), and judges every
 * request as its client saw it: met, late (finished, a bound broken), dropped (an HTTP error or a
 * broken stream) or unfinished when the run ends. All on one event loop: no locks.
 */
final class HttpLoad {
    /** What the clients saw, per class. */
    static final class Counts {
        long arrived;
        long met;
        long late;
        long dropped;
        long metTokens;

        /** Those neither met, late nor dropped are still open: unfinished. */
        ClassOutcome outcome() {
            return new ClassOutcome(
                    arrived, met, late, dropped, arrived - met - late - dropped, arrived);
        }
    }

    final Counts interactive = new Counts();
    final Counts batch = new Counts();
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final HttpClient client =
            vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5000),
                    new PoolOptions().setHttp1MaxSize(4096).setMaxWaitQueueSize(-1));
    private final int port;
    private final int ttftSloMs;
    private final int itlSloMs;
    private int open;
    private int sent;

    HttpLoad(int gatewayPort, int ttftSloMs, int itlSloMs) {
        this.port = gatewayPort;
        this.ttftSloMs = ttftSloMs;
        this.itlSloMs = itlSloMs;
    }

    /** Replays the workload from now on; completes when every arrival has been sent. */
    CompletableFuture<Void> replay(Workload w) {
        CompletableFuture<Void> allSent = new CompletableFuture<>();
        long t0 = System.currentTimeMillis();
        long start = w.startEpochMs();
        context.runOnContext(v -> next(w, 0, t0, start, allSent));
        return allSent;
    }

    private void next(Workload w, int i, long t0, long start, CompletableFuture<Void> allSent) {
        long now = System.currentTimeMillis();
        int j = i;
        while (j < w.size() && w.arrivalMs(j) - start <= now - t0) {
            send(w, j);
            j++;
        }
        if (j >= w.size()) {
            allSent.complete(null);
            return;
        }
        int from = j;
        long wait = Math.max(1, w.arrivalMs(j) - start - (now - t0));
        vertx.setTimer(wait, t -> next(w, from, t0, start, allSent));
    }

    private void send(Workload w, int i) {
        boolean isInteractive = w.interactive(i);
        Counts c = isInteractive ? interactive : batch;
        c.arrived++;
        open++;
        sent++;
        JsonObject body =
                new JsonObject()
                        .put("model", "llama3-8b")
                        .put("prompt", "w ".repeat(Math.max(1, w.promptTokens(i))))
                        .put("max_tokens", Math.max(1, w.outputTokens(i)))
                        .put("stream", true);
        long sentAt = System.nanoTime();
        long relativeDeadline = Math.max(1000, w.deadlineMs(i) - w.arrivalMs(i));
        long deadlineAt = System.currentTimeMillis() + relativeDeadline;
        Map<String, String> headers = new HashMap<>();
        headers.put("x-chiron-class", isInteractive ? "interactive" : "batch");
        if (!isInteractive) {
            headers.put("x-chiron-deadline", Long.toString(relativeDeadline / 1000));
        }
        long[] firstLast = {-1, -1};
        int[] tokens = {0};
        Future<Void> done =
                Completions.post(
                        client,
                        port,
                        body.toBuffer(),
                        headers,
                        chunk -> {
                            int n = count(chunk);
                            if (n > 0) {
                                long t = System.nanoTime();
                                if (firstLast[0] < 0) {
                                    firstLast[0] = t;
                                }
                                firstLast[1] = t;
                                tokens[0] += n;
                            }
                        });
        done.onComplete(
                ar -> {
                    open--;
                    if (ar.failed() || firstLast[0] < 0) {
                        c.dropped++;
                        return;
                    }
                    boolean ok;
                    if (isInteractive) {
                        double ttft = (firstLast[0] - sentAt) / 1e6;
                        double itl =
                                tokens[0] <= 1
                                        ? 0
                                        : (firstLast[1] - firstLast[0]) / 1e6 / (tokens[0] - 1);
                        ok = ttft <= ttftSloMs && itl <= itlSloMs;
                    } else {
                        ok = System.currentTimeMillis() <= deadlineAt;
                    }
                    if (ok) {
                        c.met++;
                        c.metTokens += tokens[0];
                    } else {
                        c.late++;
                    }
                });
    }

    /** Token events in a chunk of SSE: {@code "text":" t} occurrences (the emulator's tokens). */
    private static int count(Buffer chunk) {
        String s = chunk.toString(StandardCharsets.UTF_8);
        int n = 0;
        for (int k = s.indexOf("\"text\":\""); k >= 0; k = s.indexOf("\"text\":\"", k + 1)) {
            if (k + 8 < s.length() && s.charAt(k + 8) != '"') {
                n++;
            }
        }
        return n;
    }

    /** Reads the load's state on its loop. */
    private <T> T onLoop(java.util.function.Supplier<T> read) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        context.runOnContext(v -> f.complete(read.get()));
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Requests sent and not yet answered. */
    int open() throws Exception {
        return onLoop(() -> open);
    }

    int sent() throws Exception {
        return onLoop(() -> sent);
    }

    /** A consistent copy of both classes' outcomes. */
    ClassOutcome[] outcomes() throws Exception {
        return onLoop(() -> new ClassOutcome[] {interactive.outcome(), batch.outcome()});
    }

    long metTokens() throws Exception {
        return onLoop(() -> interactive.metTokens + batch.metTokens);
    }

    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
