package io.chiron.emulator;

import io.chiron.fleet.sim.EmulatedEngine;
import io.chiron.records.InstanceRole;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * One emulated vLLM server: the simulator's engine ({@link EmulatedEngine}) behind a real HTTP
 * server with vLLM's OpenAI endpoints ({@code /v1/completions}, {@code /v1/chat/completions},
 * streamed as SSE at the engine's token timing or not; {@code /v1/models}), {@code /health} and
 * {@code /metrics}. A verticle: the server, the engine and its clock share one event loop, so
 * nothing here is locked.
 *
 * <p>What it takes from a request: the prompt's length (one token per whitespace-separated word:
 * the emulator's tokenizer), {@code max_tokens} (or {@code max_completion_tokens}; it always
 * generates exactly that many, default 16, as with {@code ignore_eos}), {@code stream}, {@code
 * stream_options.include_usage} and {@code priority} (positive: batch, preempted for interactive
 * work; rejected with 400 unless the instance schedules by priority, as vLLM does).
 */
final class EmulatedInstance extends AbstractVerticle {
    /** Largest request body accepted, bytes (a 128k-token prompt of short words fits). */
    static final long MAX_BODY_BYTES = 8L << 20;

    private final InstanceSpec spec;
    private final int port;
    private final String id;
    private final InstanceRole role;
    private EmulatedEngine engine;
    private VllmMetrics metrics;
    private HttpServer server;
    private long startNanos;
    private long timer = -1;
    private double timerFor = Double.NaN;
    private long requestIds;
    private int highWater;

    EmulatedInstance(InstanceSpec spec, String id, InstanceRole role, int port) {
        this.spec = spec;
        this.id = id;
        this.role = role;
        this.port = port;
    }

    String id() {
        return id;
    }

    InstanceRole role() {
        return role;
    }

    /** The port it listens on (the actual one when asked for 0). */
    int port() {
        return server == null ? port : server.actualPort();
    }

    /** Requests running plus waiting, read on any thread (approximate while it changes). */
    int load() {
        EmulatedEngine e = engine;
        return e == null ? 0 : e.running() + e.waiting();
    }

    /** Preemptions of its engine so far (read on any thread: approximate while it runs). */
    long preemptions() {
        EmulatedEngine e = engine;
        return e == null ? 0 : e.preemptions();
    }

    /** The most requests it ever ran at once. */
    int runningHighWater() {
        return highWater;
    }

    @Override
    public void start(Promise<Void> started) {
        engine = new EmulatedEngine(spec.sim(), id, spec.maxNumSeqs(), spec.priorityScheduling());
        metrics = new VllmMetrics(spec.sim().model, engine);
        startNanos = System.nanoTime();
        Router router = Router.router(vertx);
        router.get("/health").handler(ctx -> ctx.response().end());
        router.get("/metrics")
                .handler(
                        ctx ->
                                ctx.response()
                                        .putHeader("content-type", metrics.contentType())
                                        .end(io.vertx.core.buffer.Buffer.buffer(metrics.scrape())));
        router.get("/v1/models").handler(this::models);
        router.post("/v1/*").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES));
        router.post("/v1/completions").handler(ctx -> generate(ctx, false));
        router.post("/v1/chat/completions").handler(ctx -> generate(ctx, true));
        vertx.createHttpServer()
                .requestHandler(router)
                .listen(port, "0.0.0.0")
                .onSuccess(
                        s -> {
                            server = s;
                            started.complete();
                        })
                .onFailure(started::fail);
    }

    @Override
    public void stop(Promise<Void> stopped) {
        if (server == null) {
            stopped.complete();
        } else {
            server.close().onComplete(r -> stopped.complete());
        }
    }

    /** Emulated ms since start: wall ms times the speed-up. */
    private double now() {
        return (System.nanoTime() - startNanos) / 1e6 * spec.speed();
    }

    private void models(RoutingContext ctx) {
        JsonObject model =
                new JsonObject()
                        .put("id", spec.sim().model)
                        .put("object", "model")
                        .put("created", System.currentTimeMillis() / 1000)
                        .put("owned_by", "vllm")
                        .put("max_model_len", spec.maxModelLen());
        json(
                ctx.response(),
                200,
                new JsonObject().put("object", "list").put("data", new JsonArray().add(model)));
    }

    private void generate(RoutingContext ctx, boolean chat) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            error(ctx.response(), 400, "the request body is not a JSON object");
            return;
        }
        if (body == null) {
            error(ctx.response(), 400, "the request has no body");
            return;
        }
        String model = body.getString("model", spec.sim().model);
        if (!model.equals(spec.sim().model)) {
            error(ctx.response(), 404, "The model `" + model + "` does not exist.");
            return;
        }
        int prompt = chat ? Prompts.chatTokens(body) : Prompts.completionTokens(body);
        Integer maxTokens =
                body.getInteger("max_completion_tokens", body.getInteger("max_tokens", 16));
        int priority = body.getInteger("priority", 0);
        if (prompt < 1) {
            error(ctx.response(), 400, "the prompt is empty");
            return;
        }
        if (maxTokens == null || maxTokens < 1) {
            error(ctx.response(), 400, "max_tokens must be at least 1, got " + maxTokens);
            return;
        }
        if (prompt + maxTokens > spec.maxModelLen()) {
            error(
                    ctx.response(),
                    400,
                    "This model's maximum context length is "
                            + spec.maxModelLen()
                            + " tokens. However, you requested "
                            + (prompt + maxTokens)
                            + " tokens.");
            return;
        }
        if (priority != 0 && !spec.priorityScheduling()) {
            error(
                    ctx.response(),
                    400,
                    "Got priority " + priority + " but Priority scheduling is not enabled.");
            return;
        }
        boolean stream = body.getBoolean("stream", false);
        JsonObject options = body.getJsonObject("stream_options");
        boolean usage = options != null && options.getBoolean("include_usage", false);
        Completion c =
                new Completion(
                        (chat ? "chatcmpl-" : "cmpl-") + id + "-" + requestIds++,
                        chat,
                        model,
                        System.currentTimeMillis() / 1000,
                        prompt,
                        maxTokens);
        HttpServerResponse response = ctx.response();
        double submitted = now();
        Stream s = new Stream(c, response, stream, usage, submitted);
        EmulatedEngine.Handle h = engine.submit(priority <= 0, prompt, maxTokens, submitted, s);
        highWater = Math.max(highWater, engine.running());
        if (stream) {
            response.setChunked(true)
                    .putHeader("content-type", "text/event-stream; charset=utf-8")
                    .putHeader("cache-control", "no-cache");
            if (chat) {
                response.write(Sse.event(c.roleChunk()));
            }
        }
        response.closeHandler(v -> engine.cancel(h, now()));
        reschedule();
    }

    /** Keeps one timer at the engine's next event: the engine runs on the wall clock. */
    private void reschedule() {
        double next = engine.nextEventMs();
        if (next == timerFor) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        timerFor = next;
        if (Double.isInfinite(next)) {
            return;
        }
        long delay = Math.max(1, (long) Math.ceil((next - now()) / spec.speed()));
        timer =
                vertx.setTimer(
                        delay,
                        t -> {
                            timer = -1;
                            timerFor = Double.NaN;
                            engine.advanceTo(Math.max(now(), next));
                            highWater = Math.max(highWater, engine.running());
                            reschedule();
                        });
    }

    /** One request's response, fed by the engine's tokens. */
    private final class Stream implements EmulatedEngine.Stream {
        private final Completion c;
        private final HttpServerResponse response;
        private final boolean streamed;
        private final boolean usage;
        private final double submitted;
        private int sent;
        private double lastMs;

        Stream(
                Completion c,
                HttpServerResponse response,
                boolean streamed,
                boolean usage,
                double submitted) {
            this.c = c;
            this.response = response;
            this.streamed = streamed;
            this.usage = usage;
            this.submitted = submitted;
        }

        @Override
        public void tokens(int total, double atMs) {
            if (sent == 0) {
                metrics.firstToken((atMs - submitted) / spec.speed() / 1000);
            } else {
                metrics.interTokens(
                        (atMs - lastMs) / spec.speed() / 1000 / (total - sent), total - sent);
            }
            lastMs = atMs;
            if (streamed && !response.closed()) {
                for (int i = sent; i < total; i++) {
                    response.write(Sse.event(c.tokenChunk(i)));
                }
            }
            sent = total;
        }

        @Override
        public void finished(double atMs) {
            metrics.finished((atMs - submitted) / spec.speed() / 1000);
            if (response.closed()) {
                return;
            }
            if (streamed) {
                if (usage) {
                    response.write(Sse.event(c.usageChunk()));
                }
                response.end(Sse.DONE);
            } else {
                json(response, 200, c.whole());
            }
        }
    }

    static void json(HttpServerResponse response, int status, JsonObject body) {
        response.setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(body.encode());
    }

    /** An error in vLLM's (OpenAI's) shape. */
    static void error(HttpServerResponse response, int status, String message) {
        json(
                response,
                status,
                new JsonObject()
                        .put("object", "error")
                        .put("message", message)
                        .put("type", status == 404 ? "NotFoundError" : "BadRequestError")
                        .putNull("param")
                        .put("code", status));
    }
}
