package io.chiron.app;

import io.chiron.app.demo.Demo;
import io.chiron.app.demo.DemoOptions;
import io.chiron.app.demo.HttpDemo;
import io.chiron.app.report.Format;
import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.run.Simulation;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.workload.Scenario;
import io.chiron.fleet.workload.Workload;
import io.chiron.policy.ScalingPolicy;
import io.chiron.policy.baseline.StaticPolicy;
import io.chiron.records.ActuationStatus;
import io.chiron.records.DecisionAction;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chiron demo}: the closed loop on an embedded stack. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the whole Chiron loop on this machine: an in-process Kafka broker and Flink"
                    + " MiniCluster, the Chiron job, and a simulated GPU fleet replaying a real"
                    + " trace faster than real time. The fleet sends telemetry to Kafka; Flink"
                    + " computes signals and decisions; the actuator sends commands back; the"
                    + " fleet obeys them.",
            "Writes a summary table to stdout and DIR/summary.json."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--minutes",
            defaultValue = "10",
            description =
                    "Simulated minutes of arrivals; the loop then runs on until the work is done"
                            + " (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(
            names = "--trace",
            defaultValue = "azure-conv",
            description =
                    "Shipped trace (azure-conv, azure-code) or a trace file: Azure CSV or"
                            + " Mooncake JSONL (default ${DEFAULT-VALUE}).")
    String trace;

    @Option(
            names = "--scenario",
            defaultValue = "mixed",
            description = "interactive or mixed (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--rate-multiplier",
            defaultValue = "10",
            description = "Arrival rate relative to the trace (default ${DEFAULT-VALUE}).")
    double rateMultiplier;

    @Option(
            names = "--speedup",
            defaultValue = "10",
            description = "Simulated seconds per wall-clock second (default ${DEFAULT-VALUE}).")
    double speedup;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--batch-bulk",
            defaultValue = "20000",
            description =
                    "Batch requests submitted at once after one simulated minute, in the mixed"
                            + " scenario (default ${DEFAULT-VALUE}).")
    int batchBulk;

    @Option(
            names = "--batch-deadline-minutes",
            defaultValue = "10",
            description =
                    "Deadline of those batch requests after their arrival (default ${DEFAULT-VALUE}).")
    double batchDeadlineMinutes;

    @Option(
            names = "--out",
            defaultValue = "chiron-out/demo",
            description = "Directory for summary.json (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--dry-run",
            description =
                    "Decide and record, but send no command: the actuator writes each action it"
                            + " would take to the actuations topic as DRY_RUN and the fleet keeps"
                            + " its size.")
    boolean dryRun;

    @Option(
            names = "--verbose",
            description = "Show Kafka's and Flink's own logging (quiet by default).")
    boolean verbose;

    @Option(
            names = "--http",
            description =
                    "The loop over real HTTP, in real time: a load generator replays the trace as"
                            + " OpenAI streamed completions to the gateway, in front of emulated"
                            + " vLLM instances; the gateway sends the telemetry, caps each instance"
                            + " at the job's batch size, and the actuator scales the emulator"
                            + " through its webhook. Defaults then: 5 minutes, x2 rate, 200 batch"
                            + " requests with a 4-minute deadline.")
    boolean http;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        if (http) {
            if (!given("--minutes")) {
                minutes = 5;
            }
            if (!given("--rate-multiplier")) {
                rateMultiplier = 2;
            }
            if (!given("--batch-bulk")) {
                batchBulk = 200;
            }
            if (!given("--batch-deadline-minutes")) {
                batchDeadlineMinutes = 4;
            }
            if (!given("--out")) {
                out = Path.of("chiron-out", "demo-http");
            }
            return httpDemo(options(), System.out);
        }
        DemoOptions options = options();
        PrintStream console = System.out;
        console.printf(
                "Chiron demo: %s trace as the %s scenario at x%s its rate, %s simulated minutes at"
                        + " x%s speed.%n",
                trace,
                options.scenario(),
                Format.number(rateMultiplier),
                Format.number(minutes),
                Format.number(speedup));
        console.printf(
                "Fleet: %s instances (H100, Llama-3-8B profile, %d s cold start). Starting Kafka"
                        + " and Flink in-process...%n%n",
                options.initialInstances(), new SimConfig().coldStart.toSeconds());

        Demo.Result result;
        long total = options.simulated().toSeconds();
        try (ConsoleProgress progress = new ConsoleProgress("simulated", total, " s", console)) {
            result =
                    Demo.run(
                            options,
                            fleet ->
                                    progress.update(
                                            (long) (fleet.now() / 1000), FleetStatus.line(fleet)));
        }
        print(result, console);
        compare(options, console);
        Path file = Summaries.write(options.out(), summary(result));
        Path decisions = Summaries.writeDecisions(options.out(), result.decisions());
        console.printf(
                "%nsummary: %s%nevery decision with its reason and inputs: %s%n", file, decisions);
        return 0;
    }

    /** Baselines the demo's last lines show the same load under. */
    static final List<String> COMPARED = List.of("llumnix-tuned", "static");

    /**
     * The same load and starting fleet under baselines, in the in-process simulator (a few
     * seconds), run as the closed loop is: arrivals for the same minutes, then until the work is
     * done. What Chiron saves, or does not.
     */
    private static void compare(DemoOptions options, PrintStream out) {
        out.printf("%nThe same load in the in-process simulator, run until its work is done:%n");
        Workload w = Demo.workload(options, 0);
        Duration horizon = Simulation.defaultHorizon(w);
        for (String name : COMPARED) {
            SimConfig sim = new SimConfig();
            ScalingPolicy p = Policies.create(name, sim, w, horizon);
            sim.initialInstances =
                    p instanceof StaticPolicy
                            ? p.initialRoles(Policies.hindsight(sim, w, horizon).peakInstances())
                            : p.initialRoles(options.initialInstances().total());
            PolicyResult r =
                    new Simulation(sim, w, p, Simulation.Options.defaults())
                            .run(horizon, f -> {})
                            .metrics();
            Format.row(
                    out,
                    name + (p instanceof StaticPolicy ? " (peak)" : ""),
                    String.format(
                            "interactive %s, batch %s, %.2f GPU-hours",
                            Format.percent(r.interactiveSloAttainment()),
                            Format.percent(r.batchSloAttainment()),
                            r.gpuHours()));
        }
    }

    private DemoOptions options() {
        if (!(minutes > 0) || minutes > 24 * 60) {
            throw new IllegalArgumentException(
                    "--minutes must be in (0, 1440], was " + Format.number(minutes));
        }
        if (!(speedup > 0) || speedup > 1000) {
            throw new IllegalArgumentException(
                    "--speedup must be in (0, 1000], was " + Format.number(speedup));
        }
        if (!(batchDeadlineMinutes > 0)) {
            throw new IllegalArgumentException(
                    "--batch-deadline-minutes must be > 0, was "
                            + Format.number(batchDeadlineMinutes));
        }
        if (batchBulk < 0) {
            throw new IllegalArgumentException("--batch-bulk must be >= 0, was " + batchBulk);
        }
        DemoOptions d = DemoOptions.defaults();
        return new DemoOptions(
                trace,
                Scenario.parse(scenario),
                Duration.ofMillis((long) (minutes * 60_000)),
                rateMultiplier,
                speedup,
                seed,
                d.initialInstances(),
                batchBulk,
                d.batchFirstAt(),
                Duration.ofMillis((long) (batchDeadlineMinutes * 60_000)),
                dryRun,
                out);
    }

    private int httpDemo(DemoOptions options, PrintStream console) throws Exception {
        console.printf(
                "Chiron demo over HTTP: %s trace as the %s scenario at x%s its rate for %s minutes"
                        + " of real time.%n",
                trace, options.scenario(), Format.number(rateMultiplier), Format.number(minutes));
        console.printf(
                "Emulated vLLM instances %s (H100, Llama-3-8B profile, %d s cold start) behind the"
                        + " gateway. Starting Kafka and Flink in-process...%n%n",
                options.initialInstances(), new SimConfig().coldStart.toSeconds());
        HttpDemo.Result r;
        try (ConsoleProgress progress =
                new ConsoleProgress("arrivals", options.simulated().toSeconds(), " s", console)) {
            r = HttpDemo.run(options, progress::update, line -> {});
        }
        console.println();
        console.println("Closed loop over HTTP");
        Format.row(console, "wall time", String.format("%.1f s", r.wallSeconds()));
        decisionsAndActuations(
                console,
                r.decisions(DecisionAction.SET_BATCH_SIZE),
                r.decisions(DecisionAction.SET_REPLICAS),
                r.actuations(ActuationStatus.APPLIED),
                r.actuations(ActuationStatus.REJECTED));
        Format.row(
                console,
                "gateway",
                String.format(
                        "%,d requests: %,d ok, %,d failed, %,d rejected, %,d expired; %,d caps"
                                + " applied, %,d heartbeats",
                        r.gateway().get("arrived"),
                        r.gateway().get("ok"),
                        r.gateway().get("failed"),
                        r.gateway().get("rejected"),
                        r.gateway().get("expired"),
                        r.gateway().get("caps_applied"),
                        r.gateway().get("heartbeats")));
        Format.row(console, "instances at most", String.valueOf(r.peakInstances()));
        console.println();
        Results.printPolicy(console, "chiron", r.chiron());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace", trace);
        json.put("scenario", options.scenario().cliName());
        json.put("seed", options.seed());
        json.put("simulated_seconds", r.arrivalSeconds()); // real time: one emulated second each
        json.put("horizon_seconds", r.arrivalSeconds());
        json.put("wall_seconds", r.wallSeconds());
        json.put("policies", Map.of("chiron", r.chiron().toJson()));
        json.put("gateway", r.gateway());
        Path file = Summaries.write(options.out(), json);
        Path decisions = Summaries.writeDecisions(options.out(), r.decisions());
        console.printf(
                "%nsummary: %s%nevery decision with its reason and inputs: %s%n", file, decisions);
        return 0;
    }

    static Map<String, Object> summary(Demo.Result r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace", r.options().trace());
        json.put("scenario", r.options().scenario().cliName());
        json.put("seed", r.options().seed());
        json.put("arrival_seconds", r.options().simulated().toMillis() / 1000.0);
        json.put("simulated_seconds", r.simulatedSeconds());
        // The closed loop drains after its minutes of arrivals until the work is done or the
        // workload's horizon: requests still open at the horizon are missed_unfinished.
        json.put("horizon_seconds", r.simulatedSeconds());
        json.put("wall_seconds", r.wallSeconds());
        json.put("gpu_hours_lower_bound", r.lowerBoundGpuHours());
        json.put("policies", Map.of("chiron", r.chiron().toJson()));
        Map<String, Object> loop = new LinkedHashMap<>();
        loop.put("speedup", r.options().speedup());
        loop.put("rate_multiplier", r.options().rateMultiplier());
        loop.put("stack_startup_seconds", r.startupSeconds());
        loop.put("telemetry_records", r.telemetryRecords());
        loop.put("instance_signals", r.instanceSignals().size());
        loop.put("pool_signals", r.poolSignals().size());
        loop.put("decisions_batch_size", r.decisions(DecisionAction.SET_BATCH_SIZE));
        loop.put("decisions_replicas", r.decisions(DecisionAction.SET_REPLICAS));
        loop.put("actuations_applied", r.actuations(ActuationStatus.APPLIED));
        loop.put("actuations_rejected", r.actuations(ActuationStatus.REJECTED));
        loop.put("actuations_dry_run", r.actuations(ActuationStatus.DRY_RUN));
        loop.put("commands_applied_by_fleet", r.applied().size());
        loop.put("dead_letters", r.deadLetters().size());
        loop.put("decision_lag_simulated_seconds_p50", nullIfNaN(r.lagSeconds(50)));
        loop.put("decision_lag_simulated_seconds_max", nullIfNaN(r.lagSeconds(100)));
        json.put("closed_loop", loop);
        return json;
    }

    /** The loop's decisions and what the actuator did with them: both demos print these. */
    private static void decisionsAndActuations(
            PrintStream out, long batchSize, long replicas, long applied, long rejected) {
        Format.row(
                out, "decisions", String.format("%d batch-size, %d replica", batchSize, replicas));
        Format.row(
                out,
                "actuations",
                String.format("%d applied, %d rejected by the guard", applied, rejected));
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static void print(Demo.Result r, PrintStream out) {
        PolicyResult p = r.chiron();
        out.println();
        out.println("Closed loop");
        Format.row(
                out,
                "simulated time",
                String.format(
                        "%.0f s of arrivals, %.0f s until the work was done (x%s)",
                        r.options().simulated().toMillis() / 1000.0,
                        r.simulatedSeconds(),
                        Format.number(r.options().speedup())));
        Format.row(
                out,
                "wall time",
                String.format("%.1f s (stack up in %.1f s)", r.wallSeconds(), r.startupSeconds()));
        Format.row(
                out, "telemetry sent to Kafka", String.format("%,d records", r.telemetryRecords()));
        Format.row(
                out,
                "signals from Flink",
                String.format(
                        "%,d instance, %,d pool",
                        r.instanceSignals().size(), r.poolSignals().size()));
        decisionsAndActuations(
                out,
                r.decisions(DecisionAction.SET_BATCH_SIZE),
                r.decisions(DecisionAction.SET_REPLICAS),
                r.actuations(ActuationStatus.APPLIED),
                r.actuations(ActuationStatus.REJECTED));
        if (r.options().dryRun()) {
            Format.row(
                    out,
                    "dry run",
                    String.format(
                            "%d actions recorded, none sent",
                            r.actuations(ActuationStatus.DRY_RUN)));
        }
        Format.row(out, "commands obeyed by the fleet", String.valueOf(r.applied().size()));
        Format.row(
                out,
                "decision -> effect lag",
                r.applied().isEmpty()
                        ? "n/a (no command reached the fleet)"
                        : String.format(
                                "p50 %.1f s, max %.1f s simulated (%.2f s wall at x%s)",
                                r.lagSeconds(50),
                                r.lagSeconds(100),
                                r.lagSeconds(50) / r.options().speedup(),
                                Format.number(r.options().speedup())));
        Format.row(out, "dead letters", String.valueOf(r.deadLetters().size()));
        out.println();
        Results.printPolicy(out, "chiron", p);
        if (!r.decisions().isEmpty()) {
            out.println();
            out.println("Last decisions (why):");
            r.decisions().stream()
                    .skip(Math.max(0, r.decisions().size() - 5))
                    .forEach(
                            d ->
                                    out.printf(
                                            "  %s %s: %s%n",
                                            d.getAction(),
                                            d.getInstanceId() != null
                                                    ? d.getInstanceId()
                                                    : d.getRole(),
                                            d.getReason()));
        }
    }
}
