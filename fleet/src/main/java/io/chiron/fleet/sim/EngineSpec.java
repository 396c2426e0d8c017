package io.chiron.fleet.sim;

import io.chiron.policy.profile.LatencyModel;

/**
 * The engine every instance of a fleet runs: its latency model, iteration budget, KV cache and swap
 * bandwidth, and the ITL bounds of the classes it serves.
 */
record EngineSpec(
        LatencyModel latency,
        int chunkTokens,
        long kvCapacityTokens,
        double kvBytesPerToken,
        double swapBytesPerSecond,
        int interactiveItlMs,
        int batchItlMs,
        long prefillBacklogTokens) {

    static EngineSpec of(SimConfig c) {
        return new EngineSpec(
                c.latency,
                c.chunkTokens,
                c.kvCapacityTokens(),
                c.latency.profile().kvBytesPerToken(),
                c.latency.profile().swapBytesPerSecond(),
                c.interactiveItlMs,
                c.batchItlMs,
                c.prefillBacklogTokens());
    }
}
