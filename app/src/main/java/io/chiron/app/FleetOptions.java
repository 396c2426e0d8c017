package io.chiron.app;

import io.chiron.core.RoleCounts;
import io.chiron.core.Setting;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Workload;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.baseline.StaticPolicy;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.policy.reference.HindsightPolicy;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The simulated fleet's options shared by simulate and evaluate. */
final class FleetOptions {
    @Option(
            names = "--instances",
            description =
                    "Instances at the start. Chiron splits them 60/20/20 into interactive, mixed"
                            + " and batch (one instance: one mixed); baselines run them all mixed."
                            + " Default: what the first"
                            + " minutes of the load need (a fleet already running when the trace"
                            + " starts), and for static the peak the whole load needs.")
    Integer instances;

    @Option(
            names = "--roles",
            split = ",",
            description =
                    "Instances at the start per role, INTERACTIVE,MIXED,BATCH (e.g. 3,1,0); overrides --instances.")
    int[] roles;

    @Option(
            names = "--profile",
            defaultValue = GpuProfile.DEFAULT,
            description =
                    "GPU latency profile: the shipped ${DEFAULT-VALUE} or a CSV"
                            + " (phase,batch_size,context_tokens,prompt_tokens,latency_ms).")
    String profile;

    @Option(
            names = "--cold-start",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "Time from asking for an instance to its serving (default ${DEFAULT-VALUE}).")
    Duration coldStart;

    @Option(
            names = "--chunk-tokens",
            defaultValue = "1024",
            description =
                    "Token budget per iteration, decodes included (default ${DEFAULT-VALUE}).")
    int chunkTokens;

    @Option(
            names = "--slo-ttft",
            defaultValue = "2s",
            converter = DurationConverter.class,
            description = "Interactive time-to-first-token bound (default ${DEFAULT-VALUE}).")
    Duration sloTtft;

    @Option(
            names = "--slo-ttft-per-1k-tokens",
            defaultValue = "0s",
            converter = DurationConverter.class,
            description =
                    "Length-aware TTFT: added to an interactive request's TTFT bound per 1,000"
                            + " prompt tokens, e.g. 500ms (default ${DEFAULT-VALUE}: the fixed"
                            + " bound). For long prompts, where a fixed bound cannot be met even"
                            + " alone on an idle GPU.")
    Duration sloTtftPerThousandTokens;

    @Option(
            names = "--slo-itl",
            defaultValue = "50ms",
            converter = DurationConverter.class,
            description = "Interactive mean inter-token latency bound (default ${DEFAULT-VALUE}).")
    Duration sloItl;

    @Option(
            names = "--batch-itl",
            defaultValue = "500ms",
            converter = DurationConverter.class,
            description = "Batch mean inter-token latency bound (default ${DEFAULT-VALUE}).")
    Duration batchItl;

    @Option(
            names = "--prefill-backlog",
            defaultValue = "1s",
            converter = DurationConverter.class,
            description =
                    "An instance admits a new prompt only while its prefill backlog takes less"
                            + " than this; 0s admits up to B (default ${DEFAULT-VALUE}).")
    Duration prefillBacklog;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description =
                    "A constant of Chiron's policy, e.g. --set chiron.global.min-mixed=0 (every"
                            + " key of docs/configuration.md's policy table; repeatable). For"
                            + " tuning on the development seeds.")
    java.util.Map<String, String> policyOverrides;

    @Option(
            names = "--predictive",
            defaultValue = "on",
            description =
                    "on: Chiron sizes the interactive pool for its demand forecast one cold start"
                            + " ahead (chiron.global.forecast); off: the reactive policy, sized for"
                            + " the last 30 s, for comparison (default ${DEFAULT-VALUE}).")
    String predictive;

    @Option(
            names = "--crash-every",
            converter = DurationConverter.class,
            description = "Mean time between instance crashes across the fleet (default: none).")
    Duration crashEvery;

    /**
     * The roles to start with: --roles, or the policy's split of --instances, or of the peak the
     * load needs for static provisioning.
     */
    RoleCounts initialRoles(
            ScalingPolicy policy, SimConfig sim, Workload workload, Duration horizon) {
        if (roles != null) {
            return RoleCounts.of(roles[0], roles[1], roles[2]);
        }
        if (instances != null) {
            return policy.initialRoles(instances);
        }
        HindsightPolicy hindsight = Policies.hindsight(sim, workload, horizon);
        if (policy instanceof StaticPolicy) {
            return policy.initialRoles(hindsight.peakInstances());
        }
        // A fleet already running when the trace starts: what its first minutes need, per class.
        return policy.initialRoles(hindsight.initialRoles(0));
    }

    /** Read once per command: the runs of every seed and policy, on any thread, share it. */
    private LatencyModel latency;

    private synchronized LatencyModel latency() {
        if (latency == null) {
            latency = new LatencyModel(GpuProfile.load(profile));
        }
        return latency;
    }

    SimConfig config(long seed) {
        if (instances != null && (instances < 0 || instances > 10_000)) {
            throw new IllegalArgumentException(
                    "--instances must be in [0, 10000], was " + instances);
        }
        if (chunkTokens < 16 || chunkTokens > 1_000_000) {
            throw new IllegalArgumentException(
                    "--chunk-tokens must be in [16, 1000000], was " + chunkTokens);
        }
        if (roles != null && (roles.length != 3 || roles[0] < 0 || roles[1] < 0 || roles[2] < 0)) {
            throw new IllegalArgumentException(
                    "--roles takes three counts INTERACTIVE,MIXED,BATCH, e.g. 3,1,0");
        }
        SimConfig c = new SimConfig();
        c.latency = latency();
        c.chunkTokens = chunkTokens;
        // The SLO and cold-start flags set the policy's constants: its settings check them.
        c.interactiveTtftMs =
                (int)
                        policySetting("chiron.slo.interactive.ttft")
                                .check("--slo-ttft", sloTtft)
                                .toMillis();
        c.interactiveItlMs =
                (int)
                        policySetting("chiron.slo.interactive.itl")
                                .check("--slo-itl", sloItl)
                                .toMillis();
        c.batchItlMs =
                (int)
                        policySetting("chiron.slo.batch.itl")
                                .check("--batch-itl", batchItl)
                                .toMillis();
        c.coldStart = policySetting("chiron.global.cold-start").check("--cold-start", coldStart);
        if (sloTtftPerThousandTokens.isNegative()) {
            throw new IllegalArgumentException(
                    "--slo-ttft-per-1k-tokens must be >= 0, was "
                            + sloTtftPerThousandTokens.toMillis()
                            + " ms");
        }
        c.ttftPerThousandPromptTokensMs = sloTtftPerThousandTokens.toMillis();
        if (crashEvery != null && crashEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException(
                    "--crash-every must be at least 1s, was " + crashEvery.toMillis() + " ms");
        }
        c.crashEvery = crashEvery;
        if (prefillBacklog.isNegative()) {
            throw new IllegalArgumentException(
                    "--prefill-backlog must be >= 0, was " + prefillBacklog.toMillis() + " ms");
        }
        c.prefillBacklog = prefillBacklog;
        Map<String, String> overrides =
                policyOverrides == null ? new HashMap<>() : new HashMap<>(policyOverrides);
        for (String key : overrides.keySet()) {
            if (!ChironConfig.isKey(key)) {
                throw new IllegalArgumentException(
                        "--set " + key + ": not a policy constant; see docs/configuration.md");
            }
        }
        switch (predictive) {
            case "on" -> {}
            case "off" -> {
                String forecast = overrides.getOrDefault(FORECAST, "off");
                if (!forecast.equalsIgnoreCase("off")) {
                    throw new IllegalArgumentException(
                            "--predictive off contradicts --set " + FORECAST + "=" + forecast);
                }
                overrides.put(FORECAST, "off");
            }
            default ->
                    throw new IllegalArgumentException(
                            "--predictive must be on or off, was '" + predictive + "'");
        }
        c.policyOverrides = Map.copyOf(overrides);
        c.seed = seed;
        return c;
    }

    /** The forecaster's key, which --predictive off sets to off. */
    private static final String FORECAST = "chiron.global.forecast";

    private static Setting<Duration> policySetting(String key) {
        return ChironConfig.setting(key, Duration.class);
    }
}
