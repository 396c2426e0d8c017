package io.chiron.emulator;

import io.chiron.fleet.sim.SimConfig;

import java.time.Duration;

/**
 * How every emulated instance runs: the simulator's settings (latency model, KV cache, model name),
 * vLLM's {@code --max-num-seqs} and {@code --scheduling-policy}, the speed of its clock over the
 * wall clock, and the cold start of an instance added later.
 */
record InstanceSpec(
        SimConfig sim,
        int maxNumSeqs,
        boolean priorityScheduling,
        double speed,
        Duration coldStart,
        int maxModelLen) {

    InstanceSpec {
        if (maxNumSeqs < 1) {
            throw new IllegalArgumentException(
                    "--max-num-seqs must be at least 1, not " + maxNumSeqs);
        }
        if (!(speed > 0) || speed > 1000) {
            throw new IllegalArgumentException("--speed must be in (0, 1000], not " + speed);
        }
    }
}
