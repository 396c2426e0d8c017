package io.chiron.fleet.workload;

import io.chiron.fleet.trace.Trace;
import io.chiron.policy.reference.Load;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The arrivals of one run, in time order: each with its class, prompt and output lengths, and a
 * deadline for batch requests. Built once, deterministically from the trace, the spec and its seed;
 * held in primitive arrays (millions of requests stay small).
 */
public final class Workload {
    /** Copies of the trace are shifted by up to this much, so they do not arrive in lockstep. */
    private static final long MAX_SHIFT_MS = 60_000;

    private final String traceName;
    private final WorkloadSpec spec;
    private final long startEpochMs;
    private final long[] arrivalMs;
    private final boolean[] interactive;
    private final int[] prompt;
    private final int[] output;
    private final long[] deadlineMs;

    private Workload(
            String traceName,
            WorkloadSpec spec,
            long startEpochMs,
            long[] arrivalMs,
            boolean[] interactive,
            int[] prompt,
            int[] output,
            long[] deadlineMs) {
        this.traceName = traceName;
        this.spec = spec;
        this.startEpochMs = startEpochMs;
        this.arrivalMs = arrivalMs;
        this.interactive = interactive;
        this.prompt = prompt;
        this.output = output;
        this.deadlineMs = deadlineMs;
    }

    /** The workload on the trace's own clock: simulated time starts at its first arrival. */
    public static Workload build(Trace trace, WorkloadSpec spec) {
        return build(trace, spec, trace.startEpochMs());
    }

    /**
     * The workload with simulated time starting at {@code startEpochMs}: a closed loop against a
     * real Kafka runs on the wall clock, since brokers delete records with timestamps older than
     * their retention.
     */
    public static Workload build(Trace trace, WorkloadSpec spec, long startEpochMs) {
        SplittableRandom random = new SplittableRandom(spec.seed());
        long durationMs = spec.duration().toMillis();
        // The trace repeats with its own rhythm: one mean inter-arrival gap after its last request.
        // A single-request trace does not repeat.
        long period =
                trace.size() < 2
                        ? Long.MAX_VALUE / 4
                        : trace.durationMs() + Math.max(1, trace.durationMs() / (trace.size() - 1));
        int whole = (int) Math.floor(spec.rateMultiplier());
        double fraction = spec.rateMultiplier() - whole;
        int copies = whole + (fraction > 0 ? 1 : 0);

        // Interactive arrivals: (relative time, trace index) packed into one long per request.
        long[] keys = new long[16];
        int n = 0;
        for (int c = 0; c < copies; c++) {
            long shift = c == 0 ? 0 : random.nextLong(MAX_SHIFT_MS);
            SplittableRandom keep = random.split();
            for (long base = 0; base < durationMs; base += period) {
                for (int i = 0; i < trace.size(); i++) {
                    if (c >= whole && keep.nextDouble() >= fraction) {
                        continue;
                    }
                    long t = base + (trace.offsetMs(i) + shift) % period;
                    if (t >= durationMs) {
                        continue;
                    }
                    if (n == keys.length) {
                        keys = Arrays.copyOf(keys, n * 2);
                    }
                    keys[n++] = (t << 31) | i;
                }
            }
        }
        keys = Arrays.copyOf(keys, n);
        Arrays.sort(keys);

        // Batch bulks (MIXED): all requests of a bulk arrive at the same moment.
        int bulks = 0;
        if (spec.batchBulk() > 0) {
            for (long t = spec.batchFirstAt().toMillis();
                    t < durationMs;
                    t += spec.batchEvery().toMillis()) {
                bulks++;
            }
        }
        int total = n + bulks * spec.batchBulk();
        long[] arrival = new long[total];
        boolean[] isInteractive = new boolean[total];
        int[] prompts = new int[total];
        int[] outputs = new int[total];
        long[] deadlines = new long[total];

        long start = startEpochMs;
        long bulkAt = spec.batchFirstAt().toMillis();
        int k = 0;
        int out = 0;
        SplittableRandom sample = random.split();
        for (int b = 0; b <= bulks; b++) {
            long until = b < bulks ? bulkAt : Long.MAX_VALUE;
            // Interactive arrivals before the next bulk (ties: interactive first).
            while (k < n && (keys[k] >>> 31) <= until) {
                int i = (int) (keys[k] & 0x7fffffffL);
                arrival[out] = start + (keys[k] >>> 31);
                isInteractive[out] = true;
                prompts[out] = trace.promptTokens(i);
                outputs[out] = trace.outputTokens(i);
                out++;
                k++;
            }
            if (b < bulks) {
                for (int j = 0; j < spec.batchBulk(); j++) {
                    int i = sample.nextInt(trace.size());
                    arrival[out] = start + bulkAt;
                    prompts[out] = trace.promptTokens(i);
                    outputs[out] = trace.outputTokens(i);
                    deadlines[out] = start + bulkAt + spec.batchDeadline().toMillis();
                    out++;
                }
                bulkAt += spec.batchEvery().toMillis();
            }
        }
        return new Workload(
                trace.name(), spec, start, arrival, isInteractive, prompts, outputs, deadlines);
    }

    public String traceName() {
        return traceName;
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** Epoch ms where simulated time starts (the trace's first arrival). */
    public long startEpochMs() {
        return startEpochMs;
    }

    /** Epoch ms where the workload ends. */
    public long endEpochMs() {
        return startEpochMs + spec.duration().toMillis();
    }

    public int size() {
        return arrivalMs.length;
    }

    public long arrivalMs(int i) {
        return arrivalMs[i];
    }

    public boolean interactive(int i) {
        return interactive[i];
    }

    public int promptTokens(int i) {
        return prompt[i];
    }

    public int outputTokens(int i) {
        return output[i];
    }

    /** The whole load as the hindsight reference and the lower bound see it. */
    public Load load() {
        return new Load(
                arrivalMs.clone(),
                interactive.clone(),
                prompt.clone(),
                output.clone(),
                deadlineMs.clone());
    }

    /** Deadline of a batch request, epoch ms; 0 for interactive ones. */
    public long deadlineMs(int i) {
        return deadlineMs[i];
    }
}
