package io.chiron.gateway;

import io.chiron.gateway.vllm.EngineSample;
import io.chiron.gateway.vllm.PrometheusText;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The OpenAI-compatible gateway in front of vLLM instances: it holds the global queue (interactive
 * first come first served, batch earliest deadline first), routes by role (interactive to
 * INTERACTIVE instances first, batch to BATCH first, both overflowing to MIXED, where batch goes
 * with a low vLLM {@code priority}), caps each instance's requests in flight at its B (the
 * actuator's {@code SET_BATCH_SIZE}, at most {@code --max-num-seqs}), passes streams through event
 * by event, measures TTFT and ITL on them, and sends a {@code RequestEvent} per step and, from a
 * scrape of every instance's {@code /metrics} each second, an {@code InstanceHeartbeat}.
 *
 * <p>One verticle: the queue, the instances' books and every stream live on one event loop, so
 * nothing is locked; Kafka's producer and the command reader are the only other threads.
 */
public final class Gateway implements AutoCloseable {
    /** What the gateway counted, for summaries and tests; readable from any thread. */
    public static final class Stats {
        public final AtomicLong arrived = new AtomicLong();
        public final AtomicLong ok = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final AtomicLong rejected = new AtomicLong();
        public final AtomicLong expired = new AtomicLong();
        public final AtomicLong cancelled = new AtomicLong();
        public final AtomicLong capsApplied = new AtomicLong();
        public final AtomicLong heartbeats = new AtomicLong();
        public final AtomicLong scrapeFailures = new AtomicLong();

        public Map<String, Long> asMap() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("arrived", arrived.get());
            m.put("ok", ok.get());
            m.put("failed", failed.get());
            m.put("rejected", rejected.get());
            m.put("expired", expired.get());
            m.put("cancelled", cancelled.get());
            m.put("caps_applied", capsApplied.get());
            m.put("heartbeats", heartbeats.get());
            return m;
        }
    }

    /** Largest request body taken, bytes (a 128k-token prompt fits); beyond, 413. */
    static final long MAX_BODY_BYTES = 8L << 20;

    /** Longest model name taken (the job's chiron.limits.max-string-length default). */
    static final int MAX_NAME_LENGTH = 256;

    private final Vertx vertx;
    private final Core core;
    private final Telemetry telemetry;
    private final CommandListener commands;

    private Gateway(Vertx vertx, Core core, Telemetry telemetry, CommandListener commands) {
        this.vertx = vertx;
        this.core = core;
        this.telemetry = telemetry;
        this.commands = commands;
    }

    /** Starts the gateway and returns once it listens. */
    public static Gateway start(GatewayConfig config, Consumer<String> status) throws Exception {
        return start(config, status, null);
    }

    /** Starts the gateway with its instances (also) from Kubernetes EndpointSlices. */
    public static Gateway start(
            GatewayConfig config, Consumer<String> status, KubernetesDiscovery kubernetes)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        Telemetry telemetry = null;
        CommandListener commands = null;
        try {
            if (config.bootstrapServers() != null) {
                telemetry = new Telemetry(config);
            }
            Core core = new Core(config, telemetry, status, kubernetes);
            vertx.deployVerticle(core)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            if (config.bootstrapServers() != null) {
                commands =
                        new CommandListener(
                                config, c -> core.context.runOnContext(v -> core.setCap(c)));
            }
            return new Gateway(vertx, core, telemetry, commands);
        } catch (Exception e) {
            if (commands != null) {
                commands.close();
            }
            if (telemetry != null) {
                telemetry.close();
            }
            vertx.close();
            throw e;
        }
    }

    public int port() {
        return core.server.actualPort();
    }

    public Stats stats() {
        return core.stats;
    }

    /** Admission cap B of a backend now (for tests and summaries). */
    public int cap(String backendId) throws Exception {
        return onLoop(
                () -> {
                    Backend b = core.backends.get(backendId);
                    return b == null ? -1 : b.cap;
                });
    }

    /** Requests in flight through the gateway on a backend now. */
    public int inFlight(String backendId) throws Exception {
        return onLoop(
                () -> {
                    Backend b = core.backends.get(backendId);
                    return b == null ? 0 : b.inFlight();
                });
    }

    /** Whether a backend drains now (no new requests). */
    public boolean draining(String backendId) throws Exception {
        return onLoop(
                () -> {
                    Backend b = core.backends.get(backendId);
                    return b != null && b.draining;
                });
    }

    /** Whether a backend is stale now (its scrape failed). */
    public boolean stale(String backendId) throws Exception {
        return onLoop(
                () -> {
                    Backend b = core.backends.get(backendId);
                    return b == null || b.stale;
                });
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> f) throws Exception {
        java.util.concurrent.CompletableFuture<T> out =
                new java.util.concurrent.CompletableFuture<>();
        core.context.runOnContext(
                v -> {
                    try {
                        out.complete(f.call());
                    } catch (Exception e) {
                        out.completeExceptionally(e);
                    }
                });
        return out.get(10, TimeUnit.SECONDS);
    }

    public void flush() {
        if (telemetry != null) {
            telemetry.flush();
        }
    }

    @Override
    public void close() throws Exception {
        if (core.kubernetes != null) {
            core.kubernetes.close();
        }
        if (commands != null) {
            commands.close();
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            if (telemetry != null) {
                telemetry.close();
            }
        }
    }

    // ---------------------------------------------------------------- the event loop

    private static final class Core extends AbstractVerticle {
        final GatewayConfig config;
        final Telemetry telemetry;
        final Consumer<String> status;
        final Stats stats = new Stats();
        final Map<String, Backend> backends = new LinkedHashMap<>();
        final GlobalQueue queue;
        GatewayMetrics metrics;
        Context context;
        HttpServer server;
        HttpClient client;
        long seq;

        final KubernetesDiscovery kubernetes;

        Core(
                GatewayConfig config,
                Telemetry telemetry,
                Consumer<String> status,
                KubernetesDiscovery kubernetes) {
            this.config = config;
            this.kubernetes = kubernetes;
            this.telemetry = telemetry;
            this.status = status;
            this.queue = new GlobalQueue(config.maxQueued());
        }

        @Override
        public void start(Promise<Void> started) {
            context = vertx.getOrCreateContext();
            metrics = new GatewayMetrics(queue, backends::values, telemetry);
            client =
                    vertx.createHttpClient(
                            new HttpClientOptions()
                                    .setKeepAlive(true)
                                    .setConnectTimeout(2000)
                                    .setIdleTimeout(0),
                            new PoolOptions().setHttp1MaxSize(4096).setMaxWaitQueueSize(-1));
            long now = System.currentTimeMillis();
            for (BackendSpec s : config.backends()) {
                backends.put(s.id(), new Backend(s, now));
            }
            vertx.setPeriodic(0, config.scrapeInterval().toMillis(), t -> scrapeAll());
            vertx.setPeriodic(100, t -> expire());
            if (config.discovery() != null) {
                vertx.setPeriodic(0, 1000, t -> discover());
            }
            if (kubernetes != null) {
                kubernetes.start(members -> context.runOnContext(v -> apply(members)));
                vertx.setPeriodic(5000, t -> deletionCosts());
            }
            vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(8192))
                    .requestHandler(this::handle)
                    .listen(config.port(), config.host())
                    .onSuccess(
                            s -> {
                                server = s;
                                status.accept(
                                        "gateway listening on http://"
                                                + config.host()
                                                + ":"
                                                + s.actualPort()
                                                + " in front of "
                                                + (config.discovery() != null
                                                        ? "the instances listed at "
                                                                + config.discovery()
                                                        : backends.size() + " backend(s)"));
                                started.complete();
                            })
                    .onFailure(started::fail);
        }

        // ------------------------------------------------------------ HTTP in

        private void handle(HttpServerRequest req) {
            String path = req.path();
            if (req.method() == HttpMethod.GET) {
                switch (path) {
                    case "/health" ->
                            json(req.response(), 200, new JsonObject().put("status", "ok"));
                    case "/ready" -> ready(req.response());
                    case "/metrics" ->
                            req.response()
                                    .putHeader("content-type", metrics.contentType())
                                    .end(Buffer.buffer(metrics.scrape()));
                    case "/v1/models" -> models(req.response());
                    default -> error(req.response(), 404, "no route for GET " + path, null);
                }
                return;
            }
            if (req.method() == HttpMethod.POST
                    && (path.equals("/v1/completions") || path.equals("/v1/chat/completions"))) {
                long arrivalNanos = System.nanoTime();
                readBody(req, path, arrivalNanos);
                return;
            }
            error(req.response(), 404, "no route for " + req.method() + " " + path, null);
        }

        /**
         * Reads a request's body up to {@link #MAX_BODY_BYTES}; a larger one (declared or sent) is
         * answered 413 and its connection closed, so that no client can fill the gateway's memory.
         */
        private void readBody(HttpServerRequest req, String path, long arrivalNanos) {
            String declared = req.getHeader("content-length");
            try {
                if (declared != null && Long.parseLong(declared.strip()) > MAX_BODY_BYTES) {
                    tooLarge(req);
                    return;
                }
            } catch (NumberFormatException e) {
                error(
                        req.response(),
                        400,
                        "content-length '" + declared + "' is not a number",
                        null);
                return;
            }
            Buffer body = Buffer.buffer();
            boolean[] over = {false};
            req.handler(
                    chunk -> {
                        if (over[0]) {
                            return;
                        }
                        if (body.length() + chunk.length() > MAX_BODY_BYTES) {
                            over[0] = true;
                            tooLarge(req);
                            return;
                        }
                        body.appendBuffer(chunk);
                    });
            req.exceptionHandler(
                    e ->
                            error(
                                    req.response(),
                                    400,
                                    "cannot read the body: " + e.getMessage(),
                                    null));
            req.endHandler(
                    v -> {
                        if (!over[0]) {
                            accept(req, path, body, arrivalNanos);
                        }
                    });
        }

        private void tooLarge(HttpServerRequest req) {
            HttpServerResponse r = req.response();
            r.putHeader("connection", "close");
            error(r, 413, "the request body is over " + MAX_BODY_BYTES + " bytes", null);
            req.connection().close();
        }

        private void ready(HttpServerResponse r) {
            long usable = backends.values().stream().filter(b -> !b.stale && !b.draining).count();
            json(
                    r,
                    200,
                    new JsonObject()
                            .put("status", "ready")
                            .put("backends", backends.size())
                            .put("usable", usable));
        }

        private void models(HttpServerResponse r) {
            JsonArray data = new JsonArray();
            java.util.Set<String> seen = new java.util.TreeSet<>();
            seen.add(config.model());
            for (Backend b : backends.values()) {
                if (b.model != null) {
                    seen.add(b.model);
                }
            }
            for (String m : seen) {
                data.add(
                        new JsonObject()
                                .put("id", m)
                                .put("object", "model")
                                .put("owned_by", "chiron-gateway"));
            }
            json(r, 200, new JsonObject().put("object", "list").put("data", data));
        }

        private void accept(HttpServerRequest req, String path, Buffer raw, long arrivalNanos) {
            JsonObject body;
            try {
                body = raw.toJsonObject();
            } catch (RuntimeException e) {
                error(req.response(), 400, "the request body is not a JSON object", null);
                return;
            }
            RequestClass cls;
            Long deadline;
            long now = System.currentTimeMillis();
            try {
                cls = requestClass(req);
                deadline = cls == RequestClass.BATCH ? deadline(req, now) : null;
            } catch (IllegalArgumentException e) {
                error(req.response(), 400, e.getMessage(), null);
                return;
            }
            Object m = body.getValue("model", config.model());
            if (!(m instanceof String model)
                    || model.isEmpty()
                    || model.length() > MAX_NAME_LENGTH) {
                error(
                        req.response(),
                        400,
                        "model must be a name of 1 to " + MAX_NAME_LENGTH + " characters",
                        null);
                return;
            }
            String id = req.getHeader("x-request-id");
            if (id == null || id.isBlank() || id.length() > 128) {
                id = "gw-" + (seq + 1);
            }
            Pending p =
                    new Pending(
                            id,
                            ++seq,
                            cls,
                            model,
                            path,
                            body,
                            now,
                            arrivalNanos,
                            deadline,
                            raw.length(),
                            req);
            stats.arrived.incrementAndGet();
            send(event(RequestEventType.ARRIVED, p, null).build());
            if (!queue.offer(p)) {
                p.done = true;
                stats.rejected.incrementAndGet();
                metrics.requests.labelValues(label(cls), "rejected").inc();
                send(
                        event(RequestEventType.DROPPED, p, null)
                                .setDropReason("the global queue is full")
                                .build());
                error(
                        req.response(),
                        429,
                        "the gateway's queue is full ("
                                + config.maxQueued()
                                + " requests); retry later",
                        1);
                return;
            }
            req.response()
                    .closeHandler(
                            v -> {
                                if (!p.done) {
                                    cancelled(p);
                                }
                            });
            pump();
        }

        private RequestClass requestClass(HttpServerRequest req) {
            String h = req.getHeader("x-chiron-class");
            if (h != null) {
                try {
                    return RequestClass.valueOf(h.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "header x-chiron-class: '" + h + "' is not interactive or batch");
                }
            }
            String auth = req.getHeader("authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
                RequestClass tenant = config.tenants().get(auth.substring(7).strip());
                if (tenant != null) {
                    return tenant;
                }
            }
            return config.defaultClass();
        }

        /** {@code x-chiron-deadline}: seconds from now, or an ISO-8601 instant. */
        private Long deadline(HttpServerRequest req, long now) {
            String h = req.getHeader("x-chiron-deadline");
            if (h == null) {
                return now + config.batchDeadline().toMillis();
            }
            String s = h.strip();
            try {
                double seconds = Double.parseDouble(s);
                if (!(seconds > 0) || seconds > 7 * 24 * 3600) {
                    throw new IllegalArgumentException(
                            "header x-chiron-deadline: " + s + " seconds is not in (0, 604800]");
                }
                return now + (long) (seconds * 1000);
            } catch (NumberFormatException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw new IllegalArgumentException(
                            "header x-chiron-deadline: '"
                                    + s
                                    + "' is neither seconds from now nor an ISO-8601 instant");
                }
            }
        }

        // ------------------------------------------------------------ the queue and routing

        /** Starts every queued request an instance can take now. */
        private void pump() {
            boolean progress = true;
            while (progress) {
                progress = false;
                Pending i = queue.peekInteractive();
                if (i != null) {
                    Backend b = pick(i, InstanceRole.INTERACTIVE);
                    if (b != null) {
                        queue.remove(i);
                        dispatch(i, b);
                        progress = true;
                    }
                }
                Pending bt = queue.peekBatch();
                if (bt != null) {
                    Backend b = pick(bt, InstanceRole.BATCH);
                    if (b != null) {
                        queue.remove(bt);
                        dispatch(bt, b);
                        progress = true;
                    }
                }
            }
        }

        /** The least loaded instance of the class's own role that admits, else of MIXED. */
        private Backend pick(Pending p, InstanceRole own) {
            Backend best = least(p, own);
            return best != null ? best : least(p, InstanceRole.MIXED);
        }

        private Backend least(Pending p, InstanceRole role) {
            Backend best = null;
            for (Backend b : backends.values()) {
                if (b.role == role
                        && b.admits()
                        && (b.model == null || b.model.equals(p.model))
                        && (best == null
                                || b.inFlight() * (long) best.cap
                                        < best.inFlight() * (long) b.cap)) {
                    best = b;
                }
            }
            return best;
        }

        private void dispatch(Pending p, Backend b) {
            p.backend = b;
            p.attempts++;
            p.startedMs = System.currentTimeMillis();
            p.dispatchedNanos = System.nanoTime();
            b.started(p.requestClass);
            send(event(RequestEventType.STARTED, p, b).build());
            JsonObject body = p.body.copy();
            if (p.stream) {
                JsonObject options = body.getJsonObject("stream_options", new JsonObject());
                body.put("stream_options", options.put("include_usage", true));
            }
            if (b.role == InstanceRole.MIXED && !p.interactive()) {
                body.put("priority", config.batchPriority());
            }
            URI u = b.spec.url();
            RequestOptions o =
                    new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setHost(u.getHost())
                            .setPort(u.getPort())
                            .setURI(p.path)
                            .putHeader("content-type", "application/json");
            String auth = p.client.getHeader("authorization");
            if (auth != null) {
                o.putHeader("authorization", auth);
            }
            client.request(o)
                    .onSuccess(up -> upstream(p, b, up, body))
                    .onFailure(e -> unreachable(p, b, e));
        }

        private void upstream(Pending p, Backend b, HttpClientRequest up, JsonObject body) {
            if (p.done) {
                up.reset(); // the client went away while the connection was made
                return;
            }
            p.cancelUpstream = up::reset;
            p.sentNanos = System.nanoTime();
            up.send(body.toBuffer())
                    .onSuccess(resp -> respond(p, b, resp))
                    .onFailure(e -> unreachable(p, b, e));
        }

        /** The instance could not be reached: it goes stale, the request goes back to the queue. */
        private void unreachable(Pending p, Backend b, Throwable e) {
            if (p.done) {
                return;
            }
            if (p.firstTokenNanos >= 0 || p.client.response().headWritten()) {
                failed(p, "the connection to " + b.id() + " was lost: " + e.getMessage());
                return;
            }
            b.ended(p.requestClass);
            p.backend = null;
            b.stale = true;
            send(
                    event(RequestEventType.PREEMPTED, p, b)
                            .setDropReason("instance unreachable")
                            .build());
            if (p.attempts >= 3) {
                p.done = true;
                stats.failed.incrementAndGet();
                metrics.requests.labelValues(label(p.requestClass), "failed").inc();
                send(
                        event(RequestEventType.DROPPED, p, null)
                                .setDropReason("no instance reachable after 3 attempts")
                                .build());
                error(
                        p.client.response(),
                        502,
                        "no instance could be reached (" + e.getMessage() + ")",
                        1);
            } else {
                queue.requeue(p);
            }
            pump();
        }

        private void respond(Pending p, Backend b, HttpClientResponse resp) {
            p.headersNanos = System.nanoTime();
            HttpServerResponse out = p.client.response();
            if (p.done) {
                resp.request().reset();
                return;
            }
            out.setStatusCode(resp.statusCode());
            String type = resp.getHeader("content-type");
            if (type != null) {
                out.putHeader("content-type", type);
            }
            resp.exceptionHandler(
                    e -> failed(p, "the stream from " + b.id() + " broke: " + e.getMessage()));
            if (resp.statusCode() != 200 || !p.stream) {
                resp.body()
                        .onSuccess(
                                whole -> {
                                    if (p.done) {
                                        return;
                                    }
                                    if (resp.statusCode() == 200) {
                                        long t = System.nanoTime();
                                        p.firstTokenNanos = t;
                                        p.lastTokenNanos = t;
                                        readUsage(p, whole.toString());
                                        out.end(whole);
                                        finish(p, null);
                                    } else {
                                        out.end(whole);
                                        finish(p, "HTTP " + resp.statusCode() + " from " + b.id());
                                    }
                                })
                        .onFailure(
                                e ->
                                        failed(
                                                p,
                                                "the response from "
                                                        + b.id()
                                                        + " broke: "
                                                        + e.getMessage()));
                return;
            }
            out.setChunked(true).putHeader("cache-control", "no-cache");
            SseTap tap = new SseTap(ev -> forward(p, out, ev));
            resp.handler(
                    chunk -> {
                        try {
                            tap.feed(chunk);
                        } catch (IllegalStateException e) {
                            resp.request().reset();
                            failed(p, e.getMessage());
                            return;
                        }
                        if (out.writeQueueFull()) {
                            resp.pause();
                            out.drainHandler(v -> resp.resume());
                        }
                    });
            resp.endHandler(
                    v -> {
                        if (p.done) {
                            return;
                        }
                        out.end();
                        finish(p, null);
                    });
        }

        /**
         * Passes one event on, timing tokens and reading (and, unless asked for, hiding) usage. A
         * token chunk is recognised by a non-empty {@code "text"} or {@code "content"} without
         * parsing it ({@link SseTap#carriesToken}); only a chunk that carries {@code "usage"} is
         * parsed.
         */
        private void forward(Pending p, HttpServerResponse out, String event) {
            if (p.done) {
                return;
            }
            String data = SseTap.data(event);
            if (data != null) {
                if (SseTap.carriesToken(data)) {
                    token(p);
                }
                if (data.contains("\"usage\"")) {
                    JsonObject chunk = readUsage(p, data);
                    JsonArray choices = chunk == null ? null : chunk.getJsonArray("choices");
                    if (chunk != null
                            && chunk.getValue("usage") != null
                            && (choices == null || choices.isEmpty())
                            && !p.clientWantsUsage) {
                        return; // the usage chunk the gateway asked for, not the client
                    }
                }
            }
            out.write(event);
        }

        private static void token(Pending p) {
            long t = System.nanoTime();
            if (p.firstTokenNanos < 0) {
                p.firstTokenNanos = t;
            }
            p.lastTokenNanos = t;
            p.tokens++;
        }

        /**
         * Records the token counts of a response's (or a chunk's) {@code usage}; returns the parsed
         * JSON, or null when it is not a JSON object.
         */
        private static JsonObject readUsage(Pending p, String json) {
            try {
                JsonObject o = new JsonObject(json);
                JsonObject usage = o.getJsonObject("usage");
                if (usage != null) {
                    p.usagePrompt = usage.getInteger("prompt_tokens");
                    p.usageCompletion = usage.getInteger("completion_tokens");
                }
                return o;
            } catch (RuntimeException e) {
                return null; // not JSON, or counts that are not numbers: no usage
            }
        }

        private void failed(Pending p, String why) {
            if (p.done) {
                return;
            }
            HttpServerResponse out = p.client.response();
            if (out.headWritten()) {
                out.reset(); // the client sees its stream break, not a clean end
            } else {
                error(out, 502, why, null);
            }
            finish(p, why);
        }

        private void cancelled(Pending p) {
            p.done = true;
            stats.cancelled.incrementAndGet();
            metrics.requests.labelValues(label(p.requestClass), "cancelled").inc();
            if (p.backend == null) {
                queue.remove(p);
                send(
                        event(RequestEventType.DROPPED, p, null)
                                .setDropReason("the client went away")
                                .build());
                return;
            }
            p.cancelUpstream.run();
            Backend b = p.backend;
            b.ended(p.requestClass);
            send(
                    event(RequestEventType.DROPPED, p, b)
                            .setDropReason("the client went away")
                            .build());
            pump();
        }

        /** The request ended on its instance: ok ({@code why} null) or failed. */
        private void finish(Pending p, String why) {
            if (p.done) {
                return;
            }
            p.done = true;
            Backend b = p.backend;
            b.ended(p.requestClass);
            String cls = label(p.requestClass);
            if (why == null) {
                stats.ok.incrementAndGet();
                metrics.requests.labelValues(cls, "ok").inc();
                Long ttft = p.ttftMs();
                if (ttft != null) {
                    metrics.ttft.labelValues(cls).observe(ttft / 1000.0);
                    metrics.stage(p);
                }
                send(
                        event(RequestEventType.FINISHED, p, b)
                                .setItlMeanMs(p.itlMeanMs())
                                .setSloMet(met(p))
                                .build());
            } else {
                stats.failed.incrementAndGet();
                metrics.requests.labelValues(cls, "failed").inc();
                send(event(RequestEventType.DROPPED, p, b).setDropReason(clip(why)).build());
            }
            pump();
        }

        private boolean met(Pending p) {
            if (p.interactive()) {
                Long ttft = p.ttftMs();
                Double itl = p.itlMeanMs();
                return ttft != null
                        && ttft <= config.ttftSloMs()
                        && (itl == null || itl <= config.interactiveItlSloMs());
            }
            return System.currentTimeMillis() <= p.deadlineMs;
        }

        /** Interactive requests past the wait bound, batch past their deadline: 503. */
        private void expire() {
            long now = System.currentTimeMillis();
            long maxWait = config.maxWait().toMillis();
            queue.expire(
                    p -> p.interactive() ? now - p.arrivalMs > maxWait : now > p.deadlineMs,
                    p -> {
                        p.done = true;
                        stats.expired.incrementAndGet();
                        metrics.requests.labelValues(label(p.requestClass), "expired").inc();
                        String why =
                                p.interactive()
                                        ? "no instance took it within "
                                                + config.maxWait().toSeconds()
                                                + " s"
                                        : "its deadline passed in the queue";
                        send(event(RequestEventType.DROPPED, p, null).setDropReason(why).build());
                        error(p.client.response(), 503, why, 5);
                    });
        }

        private void setCap(FleetCommand c) {
            Backend b =
                    c.getInstanceId() == null ? null : backends.get(c.getInstanceId().toString());
            if (b == null) {
                return;
            }
            b.setCap(c.getValue());
            stats.capsApplied.incrementAndGet();
            pump();
        }

        // ------------------------------------------------------------ discovery and the bridge

        private void discover() {
            URI u = config.discovery();
            client.request(HttpMethod.GET, u.getPort(), u.getHost(), u.getRawPath())
                    .compose(r -> r.send().compose(HttpClientResponse::body))
                    .onSuccess(this::listed)
                    .onFailure(e -> {});
        }

        /** The emulator's (or any) JSON list: {"instances": [{id, url, role, state}]}. */
        private void listed(Buffer body) {
            JsonArray list;
            try {
                list = body.toJsonObject().getJsonArray("instances");
            } catch (RuntimeException e) {
                return;
            }
            if (list == null) {
                return;
            }
            List<KubernetesDiscovery.Member> members = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof JsonObject i)) {
                    continue;
                }
                String state = i.getString("state", "");
                String id = i.getString("id");
                if (id == null || state.equals("PROVISIONING") || state.equals("STOPPED")) {
                    continue;
                }
                InstanceRole role;
                try {
                    role = InstanceRole.valueOf(i.getString("role", "MIXED"));
                } catch (IllegalArgumentException e) {
                    role = InstanceRole.MIXED;
                }
                try {
                    members.add(
                            new KubernetesDiscovery.Member(
                                    id,
                                    URI.create(i.getString("url")),
                                    role,
                                    state.equals("DRAINING")));
                } catch (RuntimeException e) {
                    // an entry without a usable url: skipped
                }
            }
            apply(members);
        }

        /**
         * The whole set of discovered instances now: new ones are scraped and used, draining ones
         * get no new requests, gone ones (once nothing is in flight on them) a last STOPPED
         * heartbeat.
         */
        private void apply(List<KubernetesDiscovery.Member> members) {
            java.util.Set<String> present = new java.util.HashSet<>();
            long now = System.currentTimeMillis();
            for (KubernetesDiscovery.Member m : members) {
                present.add(m.pod());
                Backend b = backends.get(m.pod());
                if (b == null) {
                    b =
                            new Backend(
                                    new BackendSpec(
                                            m.pod(), m.url(), m.role(), config.maxNumSeqs()),
                                    now);
                    backends.put(m.pod(), b);
                    status.accept(
                            "discovered "
                                    + m.pod()
                                    + " ("
                                    + m.role().name().toLowerCase(Locale.ROOT)
                                    + ") at "
                                    + m.url());
                    scrape(b);
                }
                b.draining = m.draining();
            }
            for (Backend b : List.copyOf(backends.values())) {
                if (!present.contains(b.id())
                        && b.inFlight() == 0
                        && !config.backends().contains(b.spec)) {
                    backends.remove(b.id());
                    status.accept(b.id() + " is gone");
                    if (b.last != null) {
                        heartbeat(b, b.last, InstanceState.STOPPED);
                    }
                }
            }
            pump();
        }

        /**
         * Each discovered pod's deletion cost from its load (its requests in flight, in powers of
         * two so that the API server sees few writes): a ReplicaSet scaling in removes the idlest.
         */
        private void deletionCosts() {
            for (Backend b : backends.values()) {
                int cost = b.inFlight() == 0 ? 0 : Integer.highestOneBit(b.inFlight());
                if (b.deletionCost != null && b.deletionCost == cost) {
                    continue;
                }
                b.deletionCost = cost;
                String pod = b.id();
                vertx.executeBlocking(
                                () -> {
                                    kubernetes.setDeletionCost(pod, cost);
                                    return null;
                                },
                                false)
                        .onFailure(
                                e -> {
                                    b.deletionCost = null; // try again next time
                                    status.accept(
                                            "cannot set the deletion cost of "
                                                    + pod
                                                    + ": "
                                                    + e.getMessage());
                                });
            }
        }

        private void scrapeAll() {
            for (Backend b : backends.values()) {
                scrape(b);
            }
        }

        private void scrape(Backend b) {
            URI u = b.spec.url();
            client.request(
                            new RequestOptions()
                                    .setMethod(HttpMethod.GET)
                                    .setHost(u.getHost())
                                    .setPort(u.getPort())
                                    .setURI("/metrics")
                                    .setTimeout(Math.max(200, config.scrapeInterval().toMillis())))
                    .compose(r -> r.send())
                    .compose(
                            r ->
                                    r.statusCode() == 200
                                            ? r.body()
                                            : io.vertx.core.Future.failedFuture(
                                                    "HTTP " + r.statusCode()))
                    .onSuccess(body -> scraped(b, body))
                    .onFailure(e -> scrapeFailed(b, e));
        }

        private void scraped(Backend b, Buffer body) {
            EngineSample s;
            try {
                s = EngineSample.of(PrometheusText.parse(body.toString()));
            } catch (IllegalArgumentException e) {
                scrapeFailed(b, e);
                return;
            }
            metrics.scrapes.labelValues("ok").inc();
            boolean wasStale = b.stale;
            b.stale = false;
            if (s.model() != null) {
                b.model = s.model();
            }
            if (b.last != null) {
                heartbeat(b, s, b.draining ? InstanceState.DRAINING : InstanceState.RUNNING);
            }
            b.last = s;
            b.lastScrapeMs = System.currentTimeMillis();
            if (wasStale) {
                pump();
            }
        }

        private void scrapeFailed(Backend b, Throwable e) {
            metrics.scrapes.labelValues("failed").inc();
            stats.scrapeFailures.incrementAndGet();
            if (!b.stale) {
                status.accept(b.id() + " is stale: its /metrics failed (" + e.getMessage() + ")");
            }
            b.stale = true;
        }

        /** A heartbeat from two scrapes: the gauges now, the counters' growth between them. */
        private void heartbeat(Backend b, EngineSample now, InstanceState state) {
            if (telemetry == null) {
                return;
            }
            EngineSample before = b.last;
            long ts = System.currentTimeMillis();
            double itlCount = now.itl().count() - before.itl().count();
            double itlSum = now.itl().sum() - before.itl().sum();
            int running = (int) Math.round(now.running());
            int steps = itlCount <= 0 ? 0 : (int) Math.ceil(itlCount / Math.max(1, running));
            InstanceHeartbeat h =
                    InstanceHeartbeat.newBuilder()
                            .setInstanceId(b.id())
                            .setModel(b.model != null ? b.model : config.model())
                            .setRole(b.role)
                            .setState(state)
                            .setTsMs(ts)
                            .setIntervalMs(Math.max(1, ts - b.lastScrapeMs))
                            .setBatchCap(b.cap)
                            .setRunning(running)
                            .setRunningInteractive(b.inFlightInteractive)
                            .setRunningBatch(b.inFlightBatch)
                            .setSwapped((int) Math.round(now.waiting()))
                            .setKvUsedTokens((long) (now.kvUsage() * now.kvCapacityTokens()))
                            .setKvCapacityTokens(now.kvCapacityTokens())
                            .setDecodeSteps(steps)
                            .setItlMeanMs(itlCount <= 0 ? 0 : itlSum / itlCount * 1000)
                            .setItlMaxMs(now.itl().maxSince(before.itl()) * 1000)
                            .setItlSloMs(
                                    b.inFlightInteractive > 0
                                            ? config.interactiveItlSloMs()
                                            : b.inFlightBatch > 0 ? config.batchItlSloMs() : 0)
                            .setOutputTokens(
                                    delta(now.generationTokens(), before.generationTokens()))
                            .setPrefillTokens(delta(now.promptTokens(), before.promptTokens()))
                            .setStartedTsMs(b.discoveredMs)
                            .build();
            telemetry.heartbeat(h);
            stats.heartbeats.incrementAndGet();
        }

        private static long delta(double now, double before) {
            return now < 0 || before < 0 ? 0 : Math.max(0, Math.round(now - before));
        }

        // ------------------------------------------------------------ telemetry and answers

        private RequestEvent.Builder event(RequestEventType type, Pending p, Backend on) {
            boolean interactive = p.interactive();
            return RequestEvent.newBuilder()
                    .setType(type)
                    .setRequestId(p.id)
                    .setModel(p.model)
                    .setRequestClass(p.requestClass)
                    .setInstanceId(on == null ? null : on.id())
                    .setInstanceRole(on == null ? null : on.role)
                    .setTsMs(System.currentTimeMillis())
                    .setArrivalTsMs(p.arrivalMs)
                    .setDeadlineTsMs(p.deadlineMs)
                    .setSloTtftMs(
                            interactive
                                    ? config.ttftSloMs()
                                    : (int) Math.min(Integer.MAX_VALUE, p.deadlineMs - p.arrivalMs))
                    .setSloItlMs(
                            interactive ? config.interactiveItlSloMs() : config.batchItlSloMs())
                    .setPromptTokens(p.usagePrompt != null ? p.usagePrompt : p.promptTokensEstimate)
                    .setOutputTokens(p.outputTokens())
                    .setQueueWaitMs(
                            Math.max(
                                    0,
                                    (p.startedMs > 0 ? p.startedMs : System.currentTimeMillis())
                                            - p.arrivalMs))
                    .setTtftMs(p.ttftMs())
                    .setItlMeanMs(null)
                    .setPreemptions(Math.max(0, p.attempts - 1))
                    .setSloMet(null)
                    .setDropReason(null);
        }

        private void send(RequestEvent e) {
            if (telemetry != null) {
                telemetry.request(e);
            }
        }

        private static String label(RequestClass c) {
            return c.name().toLowerCase(Locale.ROOT);
        }

        private static String clip(String s) {
            return s.length() <= 200 ? s : s.substring(0, 200);
        }

        static void json(HttpServerResponse r, int status, JsonObject body) {
            if (r.ended() || r.closed()) {
                return;
            }
            r.setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .end(body.encode());
        }

        /** An OpenAI-shaped error, with {@code Retry-After} when retrying later can help. */
        static void error(
                HttpServerResponse r, int status, String message, Integer retryAfterSeconds) {
            if (r.ended() || r.closed() || r.headWritten()) {
                return;
            }
            if (retryAfterSeconds != null) {
                r.putHeader("retry-after", Integer.toString(retryAfterSeconds));
            }
            json(
                    r,
                    status,
                    new JsonObject()
                            .put(
                                    "error",
                                    new JsonObject()
                                            .put("message", message)
                                            .put(
                                                    "type",
                                                    status == 429
                                                            ? "rate_limit_exceeded"
                                                            : status >= 500
                                                                    ? "server_error"
                                                                    : "invalid_request_error")
                                            .put("code", status)));
        }
    }
}
