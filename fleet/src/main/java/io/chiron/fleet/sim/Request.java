package io.chiron.fleet.sim;

/** One request's simulated state. Package-private mutable fields: the engine's hot path. */
final class Request {
    final long id;
    final boolean interactive;
    final double arrivalMs;
    final int prompt;
    final int output;
    final long deadlineMs;
    final int sloTtftMs;
    final int sloItlMs;

    /** Output tokens generated so far. */
    int generated;

    /**
     * Prompt (or, on recompute, prompt + generated) tokens whose KV must be built before decode.
     */
    int prefillTarget;

    /** Of those, done. */
    int prefilled;

    double firstTokenMs = -1;

    /** When it last entered the global queue. */
    double enqueuedMs;

    double queueWaitMs;
    int preemptions;

    /** Instance holding its KV in host memory after a swap-out, or null. */
    Instance swappedOn;

    /** Decode iteration counter of its instance at which it finishes. */
    long finishK;

    /** Its context base on its instance: tokens cached before the next step = ctxBase + K. */
    long ctxBase;

    /** Admission order on its instance (youngest is preempted first when KV runs out). */
    long admitSeq;

    Instance instance;

    Request(
            long id,
            boolean interactive,
            double arrivalMs,
            int prompt,
            int output,
            long deadlineMs,
            int sloTtftMs,
            int sloItlMs) {
        this.id = id;
        this.interactive = interactive;
        this.arrivalMs = arrivalMs;
        this.prompt = prompt;
        this.output = output;
        this.deadlineMs = deadlineMs;
        this.sloTtftMs = sloTtftMs;
        this.sloItlMs = sloItlMs;
        this.prefillTarget = prompt;
        this.enqueuedMs = arrivalMs;
    }

    String idString() {
        return "r" + id;
    }

    boolean hasFirstToken() {
        return firstTokenMs >= 0;
    }

    /** Mean inter-token latency over the tokens after the first, ms; 0 for one-token outputs. */
    double meanItlMs(double finishMs) {
        return output <= 1 ? 0 : (finishMs - firstTokenMs) / (output - 1);
    }

    /** KV tokens it holds once prefilled: prompt plus generated. */
    long kvTokens() {
        return (long) prompt + generated;
    }
}
