package io.chiron.fleet.sim;

import io.chiron.fleet.workload.Workload;
import io.chiron.policy.reference.ServiceBounds;
import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;
import io.chiron.records.RequestEventType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * The simulated fleet of one model pool: instances with roles, the global queue, the router, and
 * instance lifecycles, driven as a discrete-event simulation by {@link #advanceTo(double)}.
 *
 * <p>Routing (DESIGN.md §2): interactive requests go to INTERACTIVE instances first, batch requests
 * to BATCH instances first (earliest deadline first); either overflows to MIXED ones. On a MIXED
 * instance an interactive request that finds no room preempts batch work, which returns to the
 * queue keeping its deadline and resumes from its swapped KV where it lands on the same instance.
 * Admission happens at iteration boundaries, up to the batch cap B.
 *
 * <p>Time is simulated milliseconds since the workload's start; telemetry carries epoch ms.
 * Deterministic: the same workload, configuration and commands give the same run.
 */
public final class Fleet {
    private static final InstanceRole[] ROLES = InstanceRole.values();

    final SimConfig config;
    private final EngineSpec engine;
    private final InstanceHost host = new Host();
    final FleetStats stats = new FleetStats();
    private final Workload workload;
    private final TelemetryListener telemetry;
    private final boolean emit;
    private final long epochMs;

    private final List<Instance> instances = new ArrayList<>();
    private final Map<String, Instance> byId = new HashMap<>();
    private final PriorityQueue<Instance> events =
            new PriorityQueue<>(
                    Comparator.comparingDouble((Instance i) -> i.nextEventMs)
                            .thenComparingInt(i -> i.index));
    private final ArrayDeque<Request> interactiveQueue = new ArrayDeque<>();
    private final PriorityQueue<Request> batchQueue =
            new PriorityQueue<>(
                    Comparator.comparingLong((Request r) -> r.deadlineMs)
                            .thenComparingLong(r -> r.id));
    private final int[] free = new int[3];

    /** Each instance's share of {@code free} as last counted, and under which role, by index. */
    private final List<Integer> freeCounted = new ArrayList<>();

    private final List<InstanceRole> freeCountedAs = new ArrayList<>();
    private final BitSet[] idle = {new BitSet(), new BitSet(), new BitSet()};
    private int nextArrival;
    private double nextTickMs;
    private double now;
    private int nextInstanceNumber;
    private final java.util.SplittableRandom random;
    private final ServiceBounds bounds;
    private double nextCrashMs = Double.POSITIVE_INFINITY;

    public Fleet(SimConfig config, Workload workload, TelemetryListener telemetry) {
        this.config = config;
        this.workload = workload;
        this.telemetry = telemetry;
        this.emit = telemetry.enabled();
        this.epochMs = workload.startEpochMs();
        this.engine = EngineSpec.of(config);
        for (InstanceRole role : ROLES) {
            for (int n = 0; n < config.initialInstances.get(role); n++) {
                Instance i = newInstance(role, InstanceState.RUNNING);
                refreshFree(i);
                markIdle(i, true);
            }
        }
        nextTickMs = config.heartbeat.toMillis();
        random = new java.util.SplittableRandom(config.seed);
        bounds =
                new ServiceBounds(config.latency, engine.kvCapacityTokens(), 1, config.chunkTokens);
        scheduleCrash();
    }

    private void scheduleCrash() {
        if (config.crashEvery != null) {
            nextCrashMs = now - Math.log(1 - random.nextDouble()) * config.crashEvery.toMillis();
        }
    }

    // ---------------------------------------------------------------- driving

    /** Simulated ms since the start. */
    public double now() {
        return now;
    }

    /** Epoch ms of the simulated clock. */
    public long nowEpochMs() {
        return epochMs + (long) now;
    }

    /** Runs every event up to simulated time {@code t} (ms since the start). */
    public void advanceTo(double t) {
        while (true) {
            double instanceAt =
                    events.isEmpty() ? Double.POSITIVE_INFINITY : events.peek().nextEventMs;
            double arrivalAt =
                    nextArrival < workload.size()
                            ? workload.arrivalMs(nextArrival) - epochMs
                            : Double.POSITIVE_INFINITY;
            double next =
                    Math.min(Math.min(instanceAt, arrivalAt), Math.min(nextTickMs, nextCrashMs));
            if (next > t) {
                break;
            }
            now = next;
            if (instanceAt == next) {
                Instance i = events.poll();
                if (i.state == InstanceState.PROVISIONING) {
                    ready(i);
                } else if (!i.iterating) {
                    // An idle instance drained at the last instant and not taken over by a
                    // growing role: it goes now.
                    if (i.state == InstanceState.DRAINING) {
                        stop(i, now);
                    }
                } else {
                    i.endIteration(now);
                }
            } else if (arrivalAt == next) {
                arrive(nextArrival++);
            } else if (nextCrashMs == next) {
                crashRandomInstance();
                scheduleCrash();
            } else {
                tick();
                nextTickMs += config.heartbeat.toMillis();
            }
        }
        now = Math.max(now, t);
    }

    /** Whether every arrival has been seen and no work is left. */
    public boolean drained() {
        return nextArrival >= workload.size()
                && interactiveQueue.isEmpty()
                && batchQueue.isEmpty()
                && instances.stream().allMatch(i -> i.running() == 0);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Applies a command at the current simulated time. Commands are target states, so applying one
     * twice changes nothing the second time. Returns what happened, for the operator.
     */
    public String apply(FleetCommand c) {
        if (!config.model.equals(c.getModel())) {
            stats.commandsIgnored++;
            return "ignored: model " + c.getModel() + " is not served here (" + config.model + ")";
        }
        if (c.getType() == CommandType.SET_BATCH_SIZE) {
            Instance i = c.getInstanceId() == null ? null : byId.get(c.getInstanceId());
            if (i == null || i.state == InstanceState.STOPPED) {
                stats.commandsIgnored++;
                return "ignored: no live instance " + c.getInstanceId();
            }
            int value = Math.max(1, c.getValue());
            if (value == i.batchCap) {
                return "unchanged: " + i.id + " already at B=" + value;
            }
            int old = i.batchCap;
            i.setBatchCap(value);
            stats.batchSizeChanges++;
            refreshFree(i);
            if (i.isIdle() && hasWorkFor(i)) {
                wake(i);
            }
            return i.id + " B " + old + " -> " + value;
        }
        if (c.getRole() == null) {
            stats.commandsIgnored++;
            return "ignored: SET_REPLICAS without a role";
        }
        return setReplicas(c.getRole(), Math.max(0, c.getValue()));
    }

    private String setReplicas(InstanceRole role, int target) {
        List<Instance> live = live(role);
        int current = live.size();
        if (target == current) {
            return "unchanged: " + current + " " + role;
        }
        List<String> done = new ArrayList<>();
        if (target > current) {
            int add = target - current;
            // Role change first: a draining instance keeps its weights and serves at once.
            for (Instance i : instances) {
                if (add == 0) {
                    break;
                }
                if (i.state == InstanceState.DRAINING) {
                    if (!i.iterating) {
                        events.remove(i); // its stop was pending
                    }
                    InstanceRole old = i.role;
                    i.takeOver(role);
                    stats.roleChanges++;
                    refreshFree(i);
                    if (!i.iterating) {
                        wake(i);
                    }
                    done.add(i.id + " " + old + "->" + role);
                    add--;
                }
            }
            for (; add > 0; add--) {
                Instance i = newInstance(role, InstanceState.PROVISIONING);
                i.provision(now + config.coldStart.toMillis());
                events.add(i);
                stats.instancesAdded++;
                done.add("+" + i.id);
            }
        } else {
            int remove = current - target;
            // Cancel cold starts first, then drain the least loaded.
            live.sort(
                    Comparator.comparing((Instance i) -> i.state != InstanceState.PROVISIONING)
                            .thenComparingInt(Instance::running)
                            .thenComparingInt(i -> -i.index));
            for (Instance i : live.subList(0, remove)) {
                if (i.state == InstanceState.PROVISIONING) {
                    events.remove(i);
                    stop(i, now);
                } else {
                    drain(i);
                }
                stats.instancesRemoved++;
                done.add("-" + i.id);
            }
        }
        return role + " " + current + " -> " + target + ": " + String.join(", ", done);
    }

    private void drain(Instance i) {
        markIdle(i, false);
        i.beginDrain();
        refreshFree(i);
        if (!i.iterating) {
            i.requeueBatch(now);
            if (i.running() == 0) {
                // Stop at the next event, not at once: a role that grows by a command of the same
                // instant takes it over without a cold start.
                i.dueNow(now);
                events.add(i);
            } else {
                i.startIteration(now);
            }
        }
    }

    private List<Instance> live(InstanceRole role) {
        List<Instance> live = new ArrayList<>();
        for (Instance i : instances) {
            if (i.role == role
                    && (i.state == InstanceState.RUNNING
                            || i.state == InstanceState.PROVISIONING)) {
                live.add(i);
            }
        }
        return live;
    }

    // ---------------------------------------------------------------- lifecycle

    private void crashRandomInstance() {
        List<Instance> running = new ArrayList<>();
        for (Instance i : instances) {
            if (i.state == InstanceState.RUNNING || i.state == InstanceState.DRAINING) {
                running.add(i);
            }
        }
        if (!running.isEmpty()) {
            crash(running.get(random.nextInt(running.size())).id);
        }
    }

    /**
     * Crashes an instance now: it stops without a last heartbeat, and every request it was running
     * goes back to the global queue (its KV is lost: recompute). Returns false for an unknown or
     * stopped instance.
     */
    public boolean crash(String instanceId) {
        Instance i = byId.get(instanceId);
        if (i == null || i.state == InstanceState.STOPPED) {
            return false;
        }
        events.remove(i); // a running iteration, or a pending stop
        i.crash();
        for (Request r : i.runningRequests()) {
            i.evict(r);
            preempted(r, i, now, Requeue.CRASH);
        }
        stop(i, now);
        stats.crashes++;
        return true;
    }

    private Instance newInstance(InstanceRole role, InstanceState state) {
        String id = String.format("%s-%03d", config.model, nextInstanceNumber++);
        Instance i =
                new Instance(
                        host,
                        engine,
                        instances.size(),
                        id,
                        role,
                        state,
                        config.initialBatchCap,
                        now);
        instances.add(i);
        freeCounted.add(0);
        freeCountedAs.add(role);
        byId.put(id, i);
        return i;
    }

    private void ready(Instance i) {
        i.ready();
        refreshFree(i);
        wake(i);
    }

    private void stop(Instance i, double at) {
        markIdle(i, false);
        i.stopped(at);
        refreshFree(i);
        stats.gpuMs += at - i.provisionedMs;
    }

    // ---------------------------------------------------------------- routing

    private void arrive(int index) {
        boolean interactive = workload.interactive(index);
        int prompt = workload.promptTokens(index);
        Request r =
                new Request(
                        index,
                        interactive,
                        now,
                        prompt,
                        workload.outputTokens(index),
                        workload.deadlineMs(index),
                        interactive ? config.interactiveTtftMs(prompt) : 0,
                        interactive ? config.interactiveItlMs : config.batchItlMs);
        stats.arrived(interactive, feasible(r));
        emit(RequestEventType.ARRIVED, r, null, now, null);
        enqueue(r);
    }

    /** Whether the request's bounds can be met at all, alone on an idle instance. */
    private boolean feasible(Request r) {
        return r.interactive
                ? bounds.interactiveFeasible(r.prompt, r.output, r.sloTtftMs, r.sloItlMs)
                : bounds.batchFeasible(
                        r.prompt, r.output, r.deadlineMs - (epochMs + r.arrivalMs), r.sloItlMs);
    }

    private void enqueue(Request r) {
        r.enqueuedMs = now;
        if (r.interactive) {
            if (r.preemptions > 0) {
                interactiveQueue.addFirst(r); // admitted before everything still waiting
            } else {
                interactiveQueue.add(r);
            }
            wakeOne(InstanceRole.INTERACTIVE);
            if (interactiveQueue.size() > free[InstanceRole.INTERACTIVE.ordinal()]) {
                wakeOne(InstanceRole.MIXED);
            }
        } else {
            batchQueue.add(r);
            wakeOne(InstanceRole.BATCH);
            if (interactiveQueue.isEmpty()
                    && batchQueue.size() > free[InstanceRole.BATCH.ordinal()]) {
                wakeOne(InstanceRole.MIXED);
            }
        }
    }

    private void wakeOne(InstanceRole role) {
        int index = idle[role.ordinal()].nextSetBit(0);
        if (index >= 0) {
            wake(instances.get(index));
        }
    }

    private void wake(Instance i) {
        if (i.state != InstanceState.RUNNING || i.iterating) {
            return;
        }
        fill(i, now);
        refreshFree(i);
        i.startIteration(now);
    }

    private boolean hasWorkFor(Instance i) {
        return switch (i.role) {
            case INTERACTIVE -> !interactiveQueue.isEmpty();
            case BATCH -> !batchQueue.isEmpty();
            case MIXED -> !interactiveQueue.isEmpty() || !batchQueue.isEmpty();
        };
    }

    /** Admits queued work into {@code i} at an iteration boundary, by its role's priorities. */
    private void fill(Instance i, double at) {
        switch (i.role) {
            case INTERACTIVE -> admitInteractive(i, at, Integer.MAX_VALUE);
            case BATCH -> admitFrom(batchQueue, i, at, Integer.MAX_VALUE);
            case MIXED -> {
                // Interactive overflow: what the INTERACTIVE instances cannot take right now.
                int overflow = interactiveQueue.size() - free[InstanceRole.INTERACTIVE.ordinal()];
                if (overflow > 0) {
                    overflow -= admitInteractive(i, at, overflow);
                    while (overflow > 0 && !interactiveQueue.isEmpty() && i.preemptOneBatch(at)) {
                        Request r = interactiveQueue.peek();
                        if (!i.kvFits(r.prompt)) {
                            break;
                        }
                        interactiveQueue.poll();
                        admit(r, i, at);
                        overflow--;
                    }
                }
                if (interactiveQueue.isEmpty()) {
                    int batchOverflow = batchQueue.size() - free[InstanceRole.BATCH.ordinal()];
                    if (batchOverflow > 0) {
                        admitFrom(batchQueue, i, at, batchOverflow);
                    }
                }
            }
        }
    }

    /** Interactive work first drops what waited too long; then admits in queue order. */
    private int admitInteractive(Instance i, double at, int limit) {
        dropTimedOut(at);
        return admitFrom(interactiveQueue, i, at, limit);
    }

    /** Admits from the head of a queue while B and the KV cache allow, at most {@code limit}. */
    private int admitFrom(Queue<Request> queue, Instance i, double at, int limit) {
        int admitted = 0;
        while (admitted < limit
                && !queue.isEmpty()
                && i.running() < i.batchCap
                && i.acceptsPrompts()) {
            Request r = queue.peek();
            if (!i.kvFits(r.prompt + r.generated)) {
                break;
            }
            queue.poll();
            admit(r, i, at);
            admitted++;
        }
        return admitted;
    }

    private void admit(Request r, Instance i, double at) {
        i.admit(r, at);
        emit(RequestEventType.STARTED, r, i, at, null);
    }

    private void dropTimedOut(double at) {
        long timeout = config.interactiveTimeout.toMillis();
        while (!interactiveQueue.isEmpty() && at - interactiveQueue.peek().arrivalMs > timeout) {
            Request r = interactiveQueue.poll();
            stats.dropped(true);
            emit(
                    RequestEventType.DROPPED,
                    r,
                    null,
                    at,
                    "waited longer than " + timeout + " ms in the queue");
        }
    }

    /** Why a running request goes back to the global queue. */
    enum Requeue {
        /** Swapped out on a mixed instance for interactive work (a preemption, as in the paper). */
        FOR_INTERACTIVE,
        /** The KV cache ran out (vLLM's recompute preemption). */
        KV_FULL,
        /** Its instance is draining for scale-in. */
        DRAIN,
        /** Its instance crashed. */
        CRASH
    }

    private void preempted(Request r, Instance from, double at, Requeue why) {
        if (why == Requeue.FOR_INTERACTIVE || why == Requeue.KV_FULL) {
            r.preemptions++;
            stats.preemptions++;
        } else {
            stats.requeued++;
        }
        emit(RequestEventType.PREEMPTED, r, from, at, null);
        enqueue(r);
    }

    private void finished(Request r, Instance on, double at) {
        double itl = r.meanItlMs(at);
        // The first bound: TTFT for interactive requests, the deadline for batch ones.
        boolean firstBound =
                r.interactive
                        ? r.firstTokenMs - r.arrivalMs <= r.sloTtftMs
                        : epochMs + at <= r.deadlineMs;
        boolean itlBound = itl <= r.sloItlMs;
        boolean met = firstBound && itlBound;
        stats.finished(r.interactive, firstBound, itlBound, r.output);
        emitFinished(r, on, at, itl, met);
    }

    // ---------------------------------------------------------------- bookkeeping

    private void markIdle(Instance i, boolean isIdle) {
        BitSet set = idle[i.role.ordinal()];
        for (BitSet s : idle) {
            s.clear(i.index);
        }
        if (isIdle && i.state == InstanceState.RUNNING) {
            set.set(i.index);
        }
    }

    /**
     * Updates the fleet's free-slot count of {@code i}'s role after its load, B or state changed.
     */
    private void refreshFree(Instance i) {
        // The old contribution is taken back from the role it was counted under: roles change.
        free[freeCountedAs.get(i.index).ordinal()] -= freeCounted.get(i.index);
        int slots = i.freeSlots();
        freeCounted.set(i.index, slots);
        freeCountedAs.set(i.index, i.role);
        free[i.role.ordinal()] += slots;
        if (!i.iterating) {
            markIdle(i, i.state == InstanceState.RUNNING);
        }
    }

    private void tick() {
        dropTimedOut(now);
        long ts = epochMs + (long) now;
        for (Instance i : instances) {
            if (i.crashed
                    || (i.stoppedMs >= 0 && i.stoppedMs < now - config.heartbeat.toMillis())) {
                continue; // its STOPPED heartbeat went out already, or it crashed silently
            }
            if (emit) {
                telemetry.heartbeat(
                        TelemetryRecords.heartbeat(
                                i, config, engine.kvCapacityTokens(), ts, epochMs));
            }
            i.resetHeartbeatCounters();
        }
    }

    private void emit(RequestEventType type, Request r, Instance on, double at, String dropReason) {
        if (!emit) {
            return;
        }
        telemetry.request(
                TelemetryRecords.event(type, r, on, config.model, epochMs, at)
                        .setDropReason(dropReason)
                        .build());
    }

    private void emitFinished(Request r, Instance on, double at, double itl, boolean met) {
        if (!emit) {
            return;
        }
        telemetry.request(
                TelemetryRecords.event(RequestEventType.FINISHED, r, on, config.model, epochMs, at)
                        .setItlMeanMs(itl)
                        .setSloMet(met)
                        .build());
    }

    // ---------------------------------------------------------------- observation

    public FleetStats stats() {
        return stats;
    }

    /** GPU time so far: every instance from its request to its stop (or now), ms. */
    public double gpuMs() {
        double ms = stats.gpuMs;
        for (Instance i : instances) {
            if (i.state != InstanceState.STOPPED) {
                ms += now - i.provisionedMs;
            }
        }
        return ms;
    }

    /** Counts per role of instances in a state. */
    public int count(InstanceRole role, InstanceState state) {
        int n = 0;
        for (Instance i : instances) {
            if (i.role == role && i.state == state) {
                n++;
            }
        }
        return n;
    }

    /** Requests admitted to an instance and not finished. */
    public long inFlight() {
        long n = 0;
        for (Instance i : instances) {
            n += i.running();
        }
        return n;
    }

    public int queuedInteractive() {
        return interactiveQueue.size();
    }

    public int queuedBatch() {
        return batchQueue.size();
    }

    /** Batch caps of the RUNNING instances, by instance id. */
    public Map<String, Integer> batchCaps() {
        Map<String, Integer> caps = new java.util.TreeMap<>();
        for (Instance i : instances) {
            if (i.state == InstanceState.RUNNING) {
                caps.put(i.id, i.batchCap);
            }
        }
        return caps;
    }

    public String model() {
        return config.model;
    }

    public Workload workload() {
        return workload;
    }

    /** The fleet as its instances see it ({@link InstanceHost}). */
    private final class Host implements InstanceHost {
        @Override
        public void markIdle(Instance i, boolean idle) {
            Fleet.this.markIdle(i, idle);
        }

        @Override
        public void schedule(Instance i) {
            events.add(i);
        }

        @Override
        public void countOutputTokens(long tokens) {
            stats.outputTokens += tokens;
        }

        @Override
        public void requeue(Request r, Instance from, double at, Requeue why) {
            preempted(r, from, at, why);
        }

        @Override
        public void fill(Instance i, double at) {
            Fleet.this.fill(i, at);
        }

        @Override
        public void refreshFree(Instance i) {
            Fleet.this.refreshFree(i);
        }

        @Override
        public void stop(Instance i, double at) {
            Fleet.this.stop(i, at);
        }

        @Override
        public void finished(Request r, Instance on, double at) {
            Fleet.this.finished(r, on, at);
        }
    }
}
