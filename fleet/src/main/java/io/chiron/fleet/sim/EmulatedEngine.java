package io.chiron.fleet.sim;

import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine of the simulator on its own, as a vLLM server runs it: the fleet's {@link Instance}
 * (continuous batching on the calibrated latency model) behind vLLM's own waiting queue, with
 * {@code max_num_seqs} fixed at start. The clock is the caller's: it submits requests at a time,
 * asks for {@link #nextEventMs()}, and advances the engine to a time; tokens come back through each
 * request's {@link Stream}. With priority scheduling (vLLM's {@code --scheduling-policy priority})
 * a waiting interactive request preempts running batch work when slots or the KV cache run out;
 * preempted requests go back to the front of the waiting queue, as vLLM's scheduler puts them.
 *
 * <p>Not thread-safe: one thread drives it (the emulator's event loop).
 */
public final class EmulatedEngine {
    /** Where a request's tokens go. */
    public interface Stream {
        /** {@code total} output tokens now exist (at least one more than the last call). */
        void tokens(int total, double atMs);

        /** The request finished: every output token was sent. */
        void finished(double atMs);
    }

    /** A submitted request, to cancel it or read its progress. */
    public static final class Handle {
        private final Request request;
        private final Stream stream;
        private int emitted;
        private boolean done;

        private Handle(Request request, Stream stream) {
            this.request = request;
            this.stream = stream;
        }

        public int promptTokens() {
            return request.prompt;
        }

        public int outputTokens() {
            return request.output;
        }

        /** Times it was preempted (swapped out or recomputed). */
        public int preemptions() {
            return request.preemptions;
        }

        /** Ms it waited in the engine's queue before it ran (all its waits). */
        public double queueWaitMs() {
            return request.queueWaitMs;
        }

        public boolean done() {
            return done;
        }
    }

    private final Instance instance;
    private final boolean priorityScheduling;
    private final Host host = new Host();
    private final ArrayDeque<Request> waitingInteractive = new ArrayDeque<>();
    private final ArrayDeque<Request> waitingBatch = new ArrayDeque<>();
    private final Map<Request, Handle> handles = new IdentityHashMap<>();
    private final List<Request> cancelled = new ArrayList<>();
    private long nextId;
    private long preemptions;
    private long promptTokens;
    private long generationTokens;
    private long iterations;

    /**
     * @param config the simulator's settings (latency model, KV cache, chunk budget); its prefill
     *     backlog admission is not used: vLLM admits up to {@code max_num_seqs}
     * @param maxNumSeqs vLLM's {@code --max-num-seqs}
     * @param priorityScheduling vLLM's {@code --scheduling-policy priority}
     */
    public EmulatedEngine(SimConfig config, String id, int maxNumSeqs, boolean priorityScheduling) {
        if (maxNumSeqs < 1) {
            throw new IllegalArgumentException(
                    "max-num-seqs must be at least 1, not " + maxNumSeqs);
        }
        SimConfig c = copyWithoutBacklog(config);
        this.instance =
                new Instance(
                        host,
                        EngineSpec.of(c),
                        0,
                        id,
                        InstanceRole.MIXED,
                        InstanceState.RUNNING,
                        maxNumSeqs,
                        0);
        this.priorityScheduling = priorityScheduling;
    }

    private static SimConfig copyWithoutBacklog(SimConfig config) {
        SimConfig c = new SimConfig();
        c.model = config.model;
        c.latency = config.latency;
        c.chunkTokens = config.chunkTokens;
        c.interactiveItlMs = config.interactiveItlMs;
        c.batchItlMs = config.batchItlMs;
        c.prefillBacklog = Duration.ZERO;
        return c;
    }

    /**
     * Submits a request at {@code nowMs}: interactive (vLLM priority 0 or less) or batch (a
     * positive priority), with its prompt and the output tokens it will generate.
     */
    public Handle submit(boolean interactive, int prompt, int output, double nowMs, Stream stream) {
        if (prompt < 1 || output < 1) {
            throw new IllegalArgumentException(
                    "a request needs a prompt and an output of at least one token, not "
                            + prompt
                            + " and "
                            + output);
        }
        Request r = new Request(nextId++, interactive, nowMs, prompt, output, 0, 0, 0);
        Handle h = new Handle(r, stream);
        handles.put(r, h);
        promptTokens += prompt;
        (interactive ? waitingInteractive : waitingBatch).add(r);
        if (!instance.iterating) {
            fill(nowMs);
            instance.startIteration(nowMs);
        }
        return h;
    }

    /**
     * The client went away: the request stops at the next iteration boundary (at once when the
     * engine is idle or the request still waits), and nothing more is sent to its stream.
     */
    public void cancel(Handle h, double nowMs) {
        if (h.done) {
            return;
        }
        h.done = true;
        handles.remove(h.request);
        Request r = h.request;
        if (r.instance == null) {
            if (!waitingInteractive.remove(r)) {
                waitingBatch.remove(r);
            }
        } else if (!instance.iterating) {
            instance.evict(r);
        } else {
            cancelled.add(r); // the running iteration may hold a chunk of it
        }
    }

    /** The time of the engine's next event (an iteration's end), or +infinity when idle. */
    public double nextEventMs() {
        return instance.iterating ? instance.nextEventMs : Double.POSITIVE_INFINITY;
    }

    /** Runs every iteration that ends at or before {@code nowMs}, each at its own end time. */
    public void advanceTo(double nowMs) {
        while (instance.iterating && instance.nextEventMs <= nowMs) {
            double at = instance.nextEventMs;
            iterations++;
            instance.endIteration(at);
            emit(at);
        }
    }

    private void emit(double at) {
        for (Handle h : new ArrayList<>(handles.values())) {
            int total = produced(h.request);
            if (total > h.emitted) {
                h.emitted = total;
                h.stream.tokens(total, at);
            }
        }
    }

    /** Output tokens a request has so far (while decoding: from its instance's step counter). */
    private int produced(Request r) {
        boolean decoding = r.instance != null && r.prefilled >= r.prefillTarget;
        if (!decoding) {
            return r.generated;
        }
        return (int) Math.min(r.output, r.ctxBase + instance.k - r.prompt + 1);
    }

    private void fill(double at) {
        for (Request r : cancelled) {
            if (r.instance != null) {
                instance.evict(r);
            }
        }
        cancelled.clear();
        while (true) {
            Request next =
                    waitingInteractive.isEmpty() ? waitingBatch.peek() : waitingInteractive.peek();
            if (next == null) {
                return;
            }
            if (instance.freeSlots() > 0 && instance.kvFits(next.kvTokens())) {
                (next.interactive ? waitingInteractive : waitingBatch).poll();
                instance.admit(next, at);
            } else if (!(priorityScheduling && next.interactive && instance.preemptOneBatch(at))) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- what vLLM's /metrics shows

    /** Requests running (admitted, prefilling or decoding): {@code vllm:num_requests_running}. */
    public int running() {
        return instance.running();
    }

    /** Requests waiting in the engine's queue: {@code vllm:num_requests_waiting}. */
    public int waiting() {
        return waitingInteractive.size() + waitingBatch.size();
    }

    /** KV-cache use, a 0–1 fraction: {@code vllm:kv_cache_usage_perc}. */
    public double kvCacheUsage() {
        return Math.min(1.0, (double) instance.kvUsed() / instance.kvCapacity());
    }

    public long kvCapacityTokens() {
        return instance.kvCapacity();
    }

    public long preemptions() {
        return preemptions;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long generationTokens() {
        return generationTokens;
    }

    /** Engine iterations run so far. */
    public long iterations() {
        return iterations;
    }

    public int maxNumSeqs() {
        return instance.batchCap;
    }

    /** The engine's side of the instance: its own queue instead of a fleet's. */
    private final class Host implements InstanceHost {
        @Override
        public void markIdle(Instance i, boolean idle) {}

        @Override
        public void schedule(Instance i) {}

        @Override
        public void countOutputTokens(long tokens) {
            generationTokens += tokens;
        }

        @Override
        public void requeue(Request r, Instance from, double at, Fleet.Requeue why) {
            r.enqueuedMs = at;
            r.preemptions++;
            preemptions++;
            (r.interactive ? waitingInteractive : waitingBatch).addFirst(r);
        }

        @Override
        public void fill(Instance i, double at) {
            EmulatedEngine.this.fill(at);
        }

        @Override
        public void refreshFree(Instance i) {}

        @Override
        public void stop(Instance i, double at) {}

        @Override
        public void finished(Request r, Instance on, double at) {
            Handle h = handles.remove(r);
            if (h != null && !h.done) {
                h.done = true;
                if (r.output > h.emitted) {
                    h.emitted = r.output;
                    h.stream.tokens(r.output, at);
                }
                h.stream.finished(at);
            }
        }
    }
}
