package io.chiron.app;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.ChironPolicy;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.baseline.StaticPolicy;
import io.chiron.policy.profile.LatencyModel;

import java.util.List;

/** The policies the simulator runs by name. */
final class Policies {
    static final List<String> NAMES = List.of("chiron", "static");

    private Policies() {}

    static ScalingPolicy create(String name, ChironConfig config, LatencyModel model) {
        return switch (name) {
            case "chiron" -> new ChironPolicy(config, model);
            case "static" -> new StaticPolicy();
            default ->
                    throw new IllegalArgumentException(
                            "unknown policy '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
    }

    /** A policy's config with the fleet's SLOs and cold start, so both sides agree. */
    static ChironConfig config(io.chiron.fleet.sim.SimConfig sim) {
        return ChironConfig.defaults()
                .with(
                        c -> {
                            c.interactiveTtft = java.time.Duration.ofMillis(sim.interactiveTtftMs);
                            c.interactiveItl = java.time.Duration.ofMillis(sim.interactiveItlMs);
                            c.batchItl = java.time.Duration.ofMillis(sim.batchItlMs);
                            c.coldStart = sim.coldStart;
                        });
    }
}
