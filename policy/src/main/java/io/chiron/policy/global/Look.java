package io.chiron.policy.global;

import io.chiron.core.RoleCounts;
import io.chiron.records.PoolSignal;

/**
 * One look of the global autoscaler at a pool: the window's signal, what it remembers, the time,
 * the instances per role it counts as current, and whether any instance's telemetry is missing.
 */
record Look(PoolSignal pool, PoolState state, long now, RoleCounts current, boolean stale) {}
