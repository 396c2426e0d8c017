package io.chiron.fleet.sim;

import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One simulated serving instance: vLLM-style continuous batching at iteration level. Each iteration
 * decodes one token for every decoding sequence and prefills prompt chunks within the token budget,
 * interactive prompts before batch ones and first come first served within a class (vLLM's priority
 * scheduling, which a mixed instance needs); its duration comes from the calibrated latency model.
 * Work is admitted only at iteration boundaries, up to the batch cap B and the KV-cache capacity.
 *
 * <p>Bookkeeping is O(log n) per iteration, not per sequence: decode iteration k is counted once, a
 * sequence finishes when k reaches its {@code finishK}, and the summed context is {@code ctxBaseSum
 * + decoding·k}.
 */
final class Instance {
    private static final Comparator<Request> BY_FINISH =
            Comparator.comparingLong((Request r) -> r.finishK).thenComparingLong(r -> r.admitSeq);

    private final InstanceHost host;
    private final EngineSpec engine;
    final int index;
    final String id;
    InstanceRole role;
    InstanceState state;
    int batchCap;
    final double provisionedMs;
    double stoppedMs = -1;

    // Prompts waiting for (the rest of) their prefill, first come first served within a class;
    // interactive prompts go first (vLLM's priority scheduling, what a mixed instance needs).
    final ArrayDeque<Request> prefillInteractive = new ArrayDeque<>();
    final ArrayDeque<Request> prefillBatch = new ArrayDeque<>();
    final PriorityQueue<Request> decoding = new PriorityQueue<>(BY_FINISH);
    long ctxBaseSum;
    long k;
    long prefillKv;

    /** Prompt tokens admitted and not yet prefilled: the instance's prefill backlog. */
    long prefillPending;

    int runningInteractive;
    int runningBatch;
    int swapped;
    private long admitCounter;
    private double pendingSwapInMs;
    boolean drainRequested;

    /** Crashed: stopped without a last heartbeat. */
    boolean crashed;

    // scheduling
    double nextEventMs;
    boolean iterating;
    private final List<Request> chunkRequests = new ArrayList<>();
    private final List<Integer> chunkTokens = new ArrayList<>();
    private int iterDecode;
    private double iterMs;

    // heartbeat counters since the last heartbeat
    int hbSteps;
    double hbStepMs;
    double hbStepMax;
    long hbOutput;
    long hbPrefill;

    Instance(
            InstanceHost host,
            EngineSpec engine,
            int index,
            String id,
            InstanceRole role,
            InstanceState state,
            int batchCap,
            double nowMs) {
        this.host = host;
        this.engine = engine;
        this.index = index;
        this.id = id;
        this.role = role;
        this.state = state;
        this.batchCap = batchCap;
        this.provisionedMs = nowMs;
    }

    // ---------------------------------------------------------------- lifecycle, as the fleet
    // drives it

    /** Cold-starting: ready at {@code readyAtMs}. */
    void provision(double readyAtMs) {
        nextEventMs = readyAtMs;
    }

    /** The cold start is over. */
    void ready() {
        state = InstanceState.RUNNING;
    }

    void setBatchCap(int value) {
        batchCap = value;
    }

    /** A draining instance taken over by a role that grows: no cold start. */
    void takeOver(InstanceRole newRole) {
        drainRequested = false;
        state = InstanceState.RUNNING;
        role = newRole;
    }

    /** Draining for scale-in: no new work; a running iteration finishes first. */
    void beginDrain() {
        state = InstanceState.DRAINING;
        if (iterating) {
            drainRequested = true; // at the next iteration boundary
        }
    }

    /** Its next event (a pending stop) is now. */
    void dueNow(double now) {
        nextEventMs = now;
    }

    /** Crashed: no iteration runs on, and no last heartbeat goes out. */
    void crash() {
        iterating = false;
        crashed = true;
    }

    void stopped(double at) {
        state = InstanceState.STOPPED;
        stoppedMs = at;
    }

    /** After a heartbeat: the counters start again. */
    void resetHeartbeatCounters() {
        hbSteps = 0;
        hbStepMs = 0;
        hbStepMax = 0;
        hbOutput = 0;
        hbPrefill = 0;
    }

    int running() {
        return prefillInteractive.size() + prefillBatch.size() + decoding.size();
    }

    long kvCapacity() {
        return engine.kvCapacityTokens();
    }

    long kvUsed() {
        return ctxBaseSum + decoding.size() * k + prefillKv;
    }

    boolean isIdle() {
        return state == InstanceState.RUNNING && !iterating;
    }

    int freeSlots() {
        return state == InstanceState.RUNNING && acceptsPrompts()
                ? Math.max(0, batchCap - running())
                : 0;
    }

    /**
     * Whether the instance takes another prompt now: while its prefill backlog takes less than the
     * engine's admission budget to work off (or always, without one). A prompt admitted behind a
     * long backlog waits there for its first token; left in the global queue, another instance can
     * take it.
     */
    boolean acceptsPrompts() {
        long budget = engine.prefillBacklogTokens();
        return budget <= 0 || prefillPending < budget;
    }

    /** Whether a new sequence of {@code tokens} KV tokens fits the cache (1 % kept free). */
    boolean kvFits(long tokens) {
        return kvUsed() + tokens <= engine.kvCapacityTokens() * 0.99;
    }

    /** Admits a request from the global queue at {@code now}. */
    void admit(Request r, double now) {
        r.instance = this;
        r.admitSeq = ++admitCounter;
        r.queueWaitMs += now - r.enqueuedMs;
        if (r.interactive) {
            runningInteractive++;
        } else {
            runningBatch++;
        }
        if (r.swappedOn == this) {
            // Swap in from host memory: no prefill, just the copy back.
            swapped--;
            r.swappedOn = null;
            pendingSwapInMs +=
                    r.kvTokens() * engine.kvBytesPerToken() / engine.swapBytesPerSecond() * 1000;
            startDecoding(r);
        } else {
            if (r.swappedOn != null) {
                r.swappedOn.swapped--; // its KV stays on another instance: recompute here
                r.swappedOn = null;
            }
            r.prefillTarget = r.prompt + r.generated;
            r.prefilled = 0;
            prefillPending += r.prefillTarget;
            prefillQueue(r).add(r);
        }
    }

    private ArrayDeque<Request> prefillQueue(Request r) {
        return r.interactive ? prefillInteractive : prefillBatch;
    }

    private void startDecoding(Request r) {
        // A step feeds the last generated token; the cache holds everything before it.
        r.ctxBase = r.kvTokens() - 1 - k;
        r.finishK = k + (r.output - r.generated);
        ctxBaseSum += r.ctxBase;
        decoding.add(r);
    }

    /** Starts the next iteration at {@code now}, or goes idle when there is nothing to run. */
    void startIteration(double now) {
        if (state != InstanceState.RUNNING && state != InstanceState.DRAINING) {
            iterating = false;
            return;
        }
        chunkRequests.clear();
        chunkTokens.clear();
        iterDecode = decoding.size();
        int budget = Math.max(0, engine.chunkTokens() - iterDecode);
        long prefillTokens = 0;
        double attention = 0;
        for (ArrayDeque<Request> queue : List.of(prefillInteractive, prefillBatch)) {
            for (Request r : queue) {
                if (budget == 0) {
                    break;
                }
                int take = Math.min(r.prefillTarget - r.prefilled, budget);
                chunkRequests.add(r);
                chunkTokens.add(take);
                prefillTokens += take;
                attention += (double) take * (2L * r.prefilled + take);
                budget -= take;
            }
        }
        if (iterDecode == 0 && prefillTokens == 0) {
            iterating = false;
            host.markIdle(this, true);
            return;
        }
        double meanCtx = iterDecode == 0 ? 0 : (double) (ctxBaseSum + iterDecode * k) / iterDecode;
        iterMs =
                engine.latency().iterationMs(iterDecode, meanCtx, prefillTokens, attention)
                        + pendingSwapInMs;
        pendingSwapInMs = 0;
        iterating = true;
        host.markIdle(this, false);
        nextEventMs = now + iterMs;
        host.schedule(this);
    }

    /** Ends the running iteration at {@code now}: tokens, first tokens, completions, admissions. */
    void endIteration(double now) {
        if (iterDecode > 0) {
            k++;
            hbSteps++;
            hbStepMs += iterMs;
            hbStepMax = Math.max(hbStepMax, iterMs);
            hbOutput += iterDecode;
            host.countOutputTokens(iterDecode);
            while (!decoding.isEmpty() && decoding.peek().finishK <= k) {
                Request r = decoding.poll();
                ctxBaseSum -= r.ctxBase;
                r.generated = r.output;
                finish(r, now);
            }
        }
        for (int c = 0; c < chunkRequests.size(); c++) {
            Request r = chunkRequests.get(c);
            int take = chunkTokens.get(c);
            r.prefilled += take;
            prefillKv += take;
            prefillPending -= take;
            hbPrefill += take;
            if (r.prefilled >= r.prefillTarget) {
                prefillQueue(r).remove(r); // a completed chunk is at its queue's head: O(1)
                prefillKv -= r.prefilled;
                if (!r.hasFirstToken()) {
                    r.firstTokenMs = now;
                    r.generated = 1;
                    hbOutput++;
                    host.countOutputTokens(1);
                }
                if (r.generated >= r.output) {
                    finish(r, now);
                } else {
                    startDecoding(r);
                }
            }
        }
        // The cache grows one token per decoding sequence per step: make room, youngest first.
        while (decoding.size() > 1 && kvUsed() + decoding.size() > engine.kvCapacityTokens()) {
            Request youngest = null;
            for (Request r : decoding) {
                if (youngest == null || r.admitSeq > youngest.admitSeq) {
                    youngest = r;
                }
            }
            removeDecoding(youngest);
            host.requeue(youngest, this, now, Fleet.Requeue.KV_FULL);
        }
        if (drainRequested) {
            drainRequested = false;
            requeueBatch(now);
        }
        if (state == InstanceState.RUNNING) {
            host.fill(this, now);
        }
        host.refreshFree(this);
        if (state == InstanceState.DRAINING && running() == 0) {
            host.stop(this, now);
            iterating = false;
            return;
        }
        startIteration(now);
    }

    private void finish(Request r, double now) {
        if (r.interactive) {
            runningInteractive--;
        } else {
            runningBatch--;
        }
        r.instance = null;
        host.finished(r, this, now);
    }

    private void removeDecoding(Request r) {
        decoding.remove(r);
        ctxBaseSum -= r.ctxBase;
        r.generated = (int) (r.ctxBase + k - r.prompt) + 1;
        if (r.interactive) {
            runningInteractive--;
        } else {
            runningBatch--;
        }
    }

    private void removePrefilling(Request r) {
        prefillQueue(r).remove(r);
        prefillPending -= r.prefillTarget - r.prefilled;
        prefillKv -= r.prefilled;
        r.prefilled = 0;
        if (r.interactive) {
            runningInteractive--;
        } else {
            runningBatch--;
        }
    }

    /**
     * Preempts the batch request with the latest deadline to make room for interactive work; its KV
     * is swapped to host memory (or dropped, if it was still prefilling). Returns false when no
     * batch request runs here.
     */
    boolean preemptOneBatch(double now) {
        Request victim = null;
        for (Request r : decoding) {
            if (!r.interactive && (victim == null || r.deadlineMs > victim.deadlineMs)) {
                victim = r;
            }
        }
        boolean wasDecoding = victim != null;
        if (victim == null) {
            for (Request r : prefillBatch) {
                if (victim == null || r.deadlineMs > victim.deadlineMs) {
                    victim = r;
                }
            }
        }
        if (victim == null) {
            return false;
        }
        if (wasDecoding) {
            removeDecoding(victim);
            victim.swappedOn = this;
            swapped++;
        } else {
            removePrefilling(victim);
        }
        host.requeue(victim, this, now, Fleet.Requeue.FOR_INTERACTIVE);
        return true;
    }

    /** Takes a running request off this instance, its progress kept and its KV here lost. */
    void evict(Request r) {
        if (decoding.contains(r)) {
            removeDecoding(r);
        } else {
            removePrefilling(r);
        }
    }

    /** Sends every batch request back to the global queue (draining: this instance goes away). */
    void requeueBatch(double now) {
        for (Request r : new ArrayList<>(decoding)) {
            if (!r.interactive) {
                removeDecoding(r);
                host.requeue(r, this, now, Fleet.Requeue.DRAIN);
            }
        }
        for (Request r : new ArrayList<>(prefillBatch)) {
            removePrefilling(r);
            host.requeue(r, this, now, Fleet.Requeue.DRAIN);
        }
    }

    /** Every running request, for a crash or a forced stop. */
    List<Request> runningRequests() {
        List<Request> all = new ArrayList<>(prefillInteractive);
        all.addAll(prefillBatch);
        all.addAll(decoding);
        return all;
    }

    int itlSloMs() {
        if (runningInteractive > 0) {
            return engine.interactiveItlMs();
        }
        return runningBatch > 0 ? engine.batchItlMs() : 0;
    }
}
