package io.chiron.app;

import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.app.report.Format;
import io.chiron.fleet.workload.Scenario;
import io.chiron.policy.ChironConfig;
import io.chiron.records.DecisionAction;
import io.chiron.records.ScalingDecision;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code chiron replay}: the same telemetry through the Flink job or straight through the policy.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Records the telemetry of a simulated fleet serving a trace, then sends it through the"
                    + " Flink job on an embedded Kafka and MiniCluster (--path flink) or straight"
                    + " through the policy with the job's window arithmetic (--path direct), and"
                    + " prints the decisions and their digest. Both paths give the same digest.",
            "Writes DIR/decisions.jsonl."
        })
final class ReplayCommand implements Callable<Integer> {
    enum Path_ {
        flink,
        direct
    }

    @Option(names = "--trace", required = true, description = "A shipped trace or a trace file.")
    String trace;

    @Option(
            names = "--minutes",
            defaultValue = "10",
            description = "Simulated minutes of telemetry (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--path", required = true, description = "flink or direct.")
    String path;

    @Option(
            names = "--scenario",
            defaultValue = "mixed",
            description = "interactive, mixed, batch-backlog or bursty (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(
            names = "--rate-multiplier",
            defaultValue = "5",
            description = "Arrival rate relative to the trace (default ${DEFAULT-VALUE}).")
    double rateMultiplier;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--parallelism",
            defaultValue = "1",
            description = "Parallelism of the Flink job (default ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--out",
            defaultValue = "chiron-out/replay",
            description = "Directory for decisions.jsonl (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--verbose", description = "Show Kafka's and Flink's own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        Path_ which;
        try {
            which = Path_.valueOf(path.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--path must be flink or direct, was '" + path + "'");
        }
        if (!(minutes > 0) || minutes > 24 * 60) {
            throw new IllegalArgumentException("--minutes must be in (0, 1440], was " + minutes);
        }
        if (parallelism < 1 || parallelism > 8) {
            throw new IllegalArgumentException(
                    "--parallelism must be in [1, 8], was " + parallelism);
        }
        PrintStream console = System.out;
        long t0 = System.nanoTime();
        Recording recording =
                Recording.of(
                        trace,
                        Scenario.parse(scenario),
                        rateMultiplier,
                        Duration.ofMillis((long) (minutes * 60_000)),
                        seed);
        console.printf(
                "Recorded %,d telemetry records of %s (%s, x%s, %s min); replaying them %s...%n",
                recording.records().size(),
                trace,
                scenario,
                Format.number(rateMultiplier),
                Format.number(minutes),
                which == Path_.flink
                        ? "through the Flink job on an embedded stack (parallelism "
                                + parallelism
                                + ")"
                        : "straight through the policy");
        List<ScalingDecision> decisions =
                which == Path_.flink
                        ? Replay.flink(recording, parallelism)
                        : Replay.direct(recording, ChironConfig.defaults());
        for (ScalingDecision d : decisions) {
            if (d.getAction() == DecisionAction.SET_REPLICAS) {
                console.printf(
                        "  %s %s %d -> %d: %s%n",
                        d.getAction(), d.getRole(), d.getPrevious(), d.getTarget(), d.getReason());
            }
        }
        long batch =
                decisions.stream()
                        .filter(d -> d.getAction() == DecisionAction.SET_BATCH_SIZE)
                        .count();
        console.printf(
                "%d decisions (%d batch-size, %d replica) in %.1f s%n",
                decisions.size(), batch, decisions.size() - batch, (System.nanoTime() - t0) / 1e9);
        Path file = Summaries.writeDecisions(out, decisions);
        console.printf("decisions: %s%n", file);
        console.printf("digest: %s%n", Replay.digest(decisions));
        return 0;
    }
}
