package io.chiron.emulator;

import io.chiron.fleet.sim.SimConfig;
import io.chiron.records.InstanceRole;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * N emulated vLLM instances, each a real HTTP server on its own port, and a control endpoint that
 * adds and removes instances as Kubernetes would for a real fleet (a new one listens after its cold
 * start; a removed one drains: it serves what it has, then stops). The control endpoint speaks the
 * actuator's webhook body ({@code SET_REPLICAS} of a role), so the HTTP backend scales it, and
 * lists the instances for a gateway's discovery ({@code GET /instances}).
 */
public final class Emulator implements AutoCloseable {
    /** An instance's place in the emulated fleet. */
    public enum State {
        PROVISIONING,
        RUNNING,
        DRAINING,
        STOPPED
    }

    /** What the control endpoint lists for one instance. */
    public record Listing(String id, String url, InstanceRole role, State state, int load) {}

    /** How the fleet runs. */
    public record Options(
            String model,
            int maxNumSeqs,
            boolean priorityScheduling,
            double speed,
            Duration coldStart,
            int maxModelLen,
            String host) {
        /**
         * The simulator's model, B of a new instance (vLLM's default max-num-seqs) and cold start.
         */
        public static Options defaults() {
            SimConfig sim = new SimConfig();
            return new Options(
                    sim.model, sim.initialBatchCap, true, 1.0, sim.coldStart, 131_072, "127.0.0.1");
        }

        public Options withColdStart(Duration d) {
            return new Options(model, maxNumSeqs, priorityScheduling, speed, d, maxModelLen, host);
        }
    }

    private static final class Member {
        final String id;
        final InstanceRole role;
        final int port;
        volatile State state = State.PROVISIONING;
        volatile EmulatedInstance verticle;
        volatile String deployment;
        long drainingSince;

        Member(String id, InstanceRole role, int port) {
            this.id = id;
            this.role = role;
            this.port = port;
        }
    }

    private final Vertx vertx;
    private final InstanceSpec spec;
    private final Options options;
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final Consumer<String> status;
    private int nextPort;
    private HttpServer control;
    private long reaper = -1;
    private final java.util.concurrent.atomic.AtomicLong retiredPreemptions =
            new java.util.concurrent.atomic.AtomicLong();

    private Emulator(Vertx vertx, Options o, int basePort, Consumer<String> status) {
        this.vertx = vertx;
        this.options = o;
        SimConfig sim = new SimConfig();
        sim.model = o.model();
        this.spec =
                new InstanceSpec(
                        sim,
                        o.maxNumSeqs(),
                        o.priorityScheduling(),
                        o.speed(),
                        o.coldStart(),
                        o.maxModelLen());
        this.nextPort = basePort;
        this.status = status;
    }

    /**
     * Starts {@code roles.size()} instances at once (no cold start) on ports {@code basePort}
     * upwards, and the control endpoint on {@code controlPort} (0: none).
     */
    public static Emulator start(
            Options o,
            List<InstanceRole> roles,
            int basePort,
            int controlPort,
            Consumer<String> status)
            throws Exception {
        Emulator e = new Emulator(Vertx.vertx(), o, basePort, status);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (InstanceRole role : roles) {
                started.add(e.launch(role, Duration.ZERO));
            }
            Future.all(started).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (controlPort > 0) {
                e.control = e.controlServer(controlPort);
            }
            e.reaper = e.vertx.setPeriodic(250, t -> e.reap());
        } catch (Exception ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private Future<String> launch(InstanceRole role, Duration coldStart) {
        int port = nextPort++;
        Member m = new Member("emu-" + port, role, port);
        members.add(m);
        long delay = (long) (coldStart.toMillis() / spec.speed());
        Future<String> deployed;
        if (delay <= 0) {
            deployed = deploy(m);
        } else {
            io.vertx.core.Promise<String> p = io.vertx.core.Promise.promise();
            vertx.setTimer(delay, t -> deploy(m).onComplete(p));
            deployed = p.future();
        }
        return deployed;
    }

    private Future<String> deploy(Member m) {
        if (m.state != State.PROVISIONING) {
            return Future.succeededFuture(m.id); // removed while it was starting
        }
        EmulatedInstance v = new EmulatedInstance(spec, m.id, m.role, m.port);
        return vertx.deployVerticle(v, new DeploymentOptions())
                .onSuccess(
                        d -> {
                            m.verticle = v;
                            m.deployment = d;
                            m.state = State.RUNNING;
                            status.accept(
                                    String.format(
                                            Locale.ROOT,
                                            "%s %s listening on %s",
                                            m.id,
                                            m.role.name().toLowerCase(Locale.ROOT),
                                            url(m)));
                        })
                .onFailure(
                        err -> {
                            m.state = State.STOPPED;
                            members.remove(m);
                            status.accept(m.id + " could not start: " + err.getMessage());
                        });
    }

    private String url(Member m) {
        return "http://" + options.host() + ":" + m.port;
    }

    /** Every instance, as the control endpoint lists them. */
    public List<Listing> instances() {
        List<Listing> out = new ArrayList<>();
        for (Member m : members) {
            EmulatedInstance v = m.verticle;
            out.add(new Listing(m.id, url(m), m.role, m.state, v == null ? 0 : v.load()));
        }
        return out;
    }

    /** The most requests instance {@code id} ever ran at once (its in-flight high-water mark). */
    public int runningHighWater(String id) {
        for (Member m : members) {
            if (m.id.equals(id) && m.verticle != null) {
                return m.verticle.runningHighWater();
            }
        }
        return 0;
    }

    /**
     * Sets the number of instances of a role (provisioning and running count; draining do not):
     * adds instances after a cold start, or drains the least loaded.
     */
    public synchronized String scale(InstanceRole role, int target) {
        if (target < 0) {
            throw new IllegalArgumentException("replicas must be >= 0, not " + target);
        }
        List<Member> live = new ArrayList<>();
        for (Member m : members) {
            if (m.role == role && (m.state == State.PROVISIONING || m.state == State.RUNNING)) {
                live.add(m);
            }
        }
        int delta = target - live.size();
        for (int i = 0; i < delta; i++) {
            launch(role, spec.coldStart());
        }
        if (delta < 0) {
            live.sort(
                    Comparator.comparing((Member m) -> m.state != State.PROVISIONING)
                            .thenComparingInt(m -> m.verticle == null ? 0 : m.verticle.load()));
            for (Member m : live.subList(0, -delta)) {
                drain(m);
            }
        }
        String what =
                String.format(
                        Locale.ROOT,
                        "%s: %d -> %d",
                        role.name().toLowerCase(Locale.ROOT),
                        live.size(),
                        target);
        status.accept("scale " + what);
        return what;
    }

    private void drain(Member m) {
        if (m.state == State.PROVISIONING) {
            m.state = State.STOPPED;
            members.remove(m);
            return;
        }
        m.state = State.DRAINING;
        m.drainingSince = System.nanoTime();
    }

    /** Stops drained instances: idle, and draining long enough for a gateway to have seen it. */
    private void reap() {
        for (Member m : members) {
            if (m.state == State.DRAINING
                    && m.verticle.load() == 0
                    && System.nanoTime() - m.drainingSince > TimeUnit.SECONDS.toNanos(2)) {
                m.state = State.STOPPED;
                members.remove(m);
                retiredPreemptions.addAndGet(m.verticle.preemptions());
                vertx.undeploy(m.deployment);
                status.accept(m.id + " drained and stopped");
            }
        }
    }

    private HttpServer controlServer(int port) throws Exception {
        Router router = Router.router(vertx);
        router.get("/instances").handler(this::list);
        router.post().handler(BodyHandler.create().setBodyLimit(64 * 1024));
        router.post("/commands").handler(this::command);
        return vertx.createHttpServer()
                .requestHandler(router)
                .listen(port, "0.0.0.0")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    private void list(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (Listing l : instances()) {
            out.add(
                    new JsonObject()
                            .put("id", l.id())
                            .put("url", l.url())
                            .put("role", l.role().name())
                            .put("state", l.state().name())
                            .put("load", l.load()));
        }
        EmulatedInstance.json(ctx.response(), 200, new JsonObject().put("instances", out));
    }

    /** The actuator's webhook: SET_REPLICAS scales a role; batch sizes are the gateway's. */
    private void command(RoutingContext ctx) {
        JsonObject c;
        try {
            c = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            c = null;
        }
        if (c == null) {
            EmulatedInstance.error(ctx.response(), 400, "the body is not a JSON object");
            return;
        }
        String type = c.getString("type", "");
        if (type.equals("SET_BATCH_SIZE")) {
            EmulatedInstance.json(
                    ctx.response(),
                    200,
                    new JsonObject()
                            .put("ignored", "batch sizes are admission caps at the gateway"));
            return;
        }
        InstanceRole role;
        Integer value;
        try {
            role = InstanceRole.valueOf(c.getString("role", ""));
            value = c.getInteger("value");
        } catch (IllegalArgumentException | ClassCastException e) {
            role = null;
            value = null;
        }
        if (!type.equals("SET_REPLICAS") || role == null || value == null || value < 0) {
            EmulatedInstance.error(
                    ctx.response(),
                    400,
                    "expected {\"type\": \"SET_REPLICAS\", \"role\": INTERACTIVE|MIXED|BATCH,"
                            + " \"value\": n >= 0}, got "
                            + c.encode());
            return;
        }
        String done = scale(role, value);
        EmulatedInstance.json(ctx.response(), 200, new JsonObject().put("applied", done));
    }

    /** Preemptions of every instance's engine so far, those stopped included. */
    public long preemptions() {
        long n = retiredPreemptions.get();
        for (Member m : members) {
            EmulatedInstance v = m.verticle;
            if (v != null) {
                n += v.preemptions();
            }
        }
        return n;
    }

    /**
     * A port with the next {@code n - 1} free too, probed: a base port for {@code n} instances
     * (another process may still take one before they bind; the instance then says it could not
     * start).
     */
    public static int freePorts(int n) throws java.io.IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                p = s.getLocalPort();
            }
            boolean free = p + n <= 65535;
            for (int i = 1; i < n && free; i++) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(p + i)) {
                    free = true;
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return p;
            }
        }
        throw new java.io.IOException("no " + n + " free ports in a row on this machine");
    }

    /** Port of the control endpoint, or 0 without one. */
    public int controlPort() {
        return control == null ? 0 : control.actualPort();
    }

    @Override
    public void close() {
        if (reaper >= 0) {
            vertx.cancelTimer(reaper);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing: nothing more to do
        }
    }
}
