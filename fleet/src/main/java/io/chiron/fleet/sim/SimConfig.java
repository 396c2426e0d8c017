package io.chiron.fleet.sim;

import io.chiron.core.RoleCounts;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;

import java.time.Duration;

/**
 * Settings of the simulated fleet. Mutable builder-style fields with defaults; the simulator reads
 * them once at start.
 */
public final class SimConfig {
    /** Model (and pool) name every instance serves. */
    public String model = "llama3-8b";

    /** Latency model of one instance. */
    public LatencyModel latency = new LatencyModel(GpuProfile.shipped());

    /** Time from asking for an instance to its serving (weights load, warm-up). */
    public Duration coldStart = Duration.ofSeconds(60);

    /**
     * Token budget of one iteration (vLLM max_num_batched_tokens with chunked prefill; decodes
     * count one each). 512, vLLM's chunked-prefill default, keeps a prefill chunk (about 17 ms on
     * the H100 profile) from pushing an iteration past a 50 ms ITL bound; 2048 would cost 60 ms.
     */
    public int chunkTokens = 1024;

    /**
     * Admission by prefill backlog: an instance takes a new prompt only while the prompts it has
     * yet to prefill take less than this at its profiled prefill rate (full chunks); ZERO admits up
     * to B regardless, as slots alone would. The gateway in front of a real fleet does the same (it
     * holds the global queue); without it, a burst piles onto the instances with free slots and
     * waits there for its first token while other instances idle. Half the default TTFT bound.
     */
    public Duration prefillBacklog = Duration.ofSeconds(1);

    /** {@link #prefillBacklog} in prompt tokens, 0 for no limit. */
    public long prefillBacklogTokens() {
        if (prefillBacklog.isZero()) {
            return 0;
        }
        double chunkMs = latency.prefillMs(chunkTokens, (double) chunkTokens * chunkTokens);
        return Math.max(1, (long) (prefillBacklog.toMillis() / chunkMs * chunkTokens));
    }

    /** B of a new instance (vLLM's default max_num_seqs), until the autoscaler sets one. */
    public int initialBatchCap = 256;

    /** Heartbeat interval. */
    public Duration heartbeat = Duration.ofSeconds(1);

    /** Instances per role running at time zero. */
    public RoleCounts initialInstances = RoleCounts.all(1);

    /** Interactive TTFT bound, ms. */
    public int interactiveTtftMs = 2000;

    /**
     * Length-aware TTFT: added to an interactive request's TTFT bound per 1,000 prompt tokens, ms
     * (0: the fixed bound). Serving papers scale the bound with the prompt, since a fixed one
     * cannot be met for very long prompts even alone on an idle GPU.
     */
    public double ttftPerThousandPromptTokensMs = 0;

    /** Interactive mean ITL bound, ms. */
    public int interactiveItlMs = 50;

    /** Batch mean ITL bound, ms. */
    public int batchItlMs = 500;

    /** Interactive requests still queued after this long are dropped (the client gave up). */
    public Duration interactiveTimeout = Duration.ofSeconds(60);

    /**
     * Mean time between instance crashes across the fleet (exponential), or null for none. A
     * crashed instance stops at once, without a last heartbeat; its requests go back to the queue.
     */
    public Duration crashEvery = null;

    /**
     * Constants of the policy under test by key ({@code chiron.global.min-mixed} and the like),
     * over its defaults: how a tuning run on the development seeds tries a value.
     */
    public java.util.Map<String, String> policyOverrides = java.util.Map.of();

    /** Seed of the fleet's own random choices (crash times and victims). */
    public long seed = 1;

    /** An interactive request's TTFT bound for its prompt length, ms. */
    public int interactiveTtftMs(int promptTokens) {
        return (int)
                Math.min(
                        Integer.MAX_VALUE,
                        interactiveTtftMs
                                + Math.round(ttftPerThousandPromptTokensMs * promptTokens / 1000));
    }

    public long kvCapacityTokens() {
        return latency.profile().kvCapacityTokens();
    }
}
