package io.chiron.app;

import io.chiron.app.chaos.Campaign;
import io.chiron.app.chaos.ChaosResult;
import io.chiron.app.chaos.Fault;
import io.chiron.app.chaos.Faults;
import io.chiron.app.replay.Recording;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.fleet.workload.Scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chiron chaos}: the fault and bad-input campaign on the embedded stack. */
@Command(
        name = "chaos",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Chiron job on an embedded Kafka broker and MiniCluster against recorded"
                    + " fleet telemetry, once clean and once per fault: malformed and hostile"
                    + " records, a request-group flood, a lost TaskManager, broker outages of 30 s"
                    + " and 12 min. Each run's decisions are compared, by their deterministic ids,"
                    + " with the clean run's: nothing missing, nothing extra, nothing duplicated,"
                    + " every bad record a dead letter, the job still running at the end.",
            "Prints a table and writes DIR/chaos.json; exits 1 when a scenario fails."
        })
final class ChaosCommand implements Callable<Integer> {

    @Option(
            names = "--out",
            defaultValue = "chiron-out/chaos",
            description = "Directory for chaos.json (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(
            names = "--only",
            split = ",",
            description =
                    "Run only these scenarios (after the clean one), e.g. malformed,broker-stop-30s.")
    List<String> only;

    @Option(
            names = "--minutes",
            defaultValue = "8",
            description =
                    "Minutes of recorded telemetry each run replays (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--verbose", description = "Show Kafka's and Flink's own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        if (!verbose) {
            // The faults are on purpose: Flink's and Kafka's errors about them are the expected
            // story, which the campaign tells itself. --verbose shows them.
            Logging.silence("org.apache.flink", "org.apache.kafka", "kafka");
        }
        if (!(minutes >= 1) || minutes > 60) {
            throw new IllegalArgumentException("--minutes must be in [1, 60], was " + minutes);
        }
        List<Fault> faults = select(Faults.all(), only);
        PrintStream console = System.out;
        Recording recording =
                Recording.of(
                        "azure-conv",
                        Scenario.MIXED,
                        20,
                        Duration.ofMillis((long) (minutes * 60_000)),
                        1);
        console.printf(
                "Chaos campaign: %,d records of fleet telemetry (azure-conv, mixed, x20, %s min)"
                        + " per run; %d scenarios after the clean one%n",
                recording.records().size(),
                io.chiron.app.report.Format.number(minutes),
                faults.size());
        List<ChaosResult> results = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.start(2, Map.of())) {
            Campaign campaign = new Campaign(stack, recording, console::println);
            results.add(report(console, campaign.clean()));
            for (Fault f : faults) {
                console.printf("  %s: %s%n", f.name(), f.description());
                results.add(report(console, campaign.run(f)));
            }
        }
        Files.createDirectories(out);
        Path file = out.resolve("chaos.json");
        new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), results);
        console.println();
        table(console, results);
        long failed = results.stream().filter(r -> !r.passed()).count();
        console.printf(
                "%d of %d scenarios passed; %s%n", results.size() - failed, results.size(), file);
        return failed == 0 ? 0 : 1;
    }

    private static List<Fault> select(List<Fault> all, List<String> only) {
        if (only == null || only.isEmpty()) {
            return all;
        }
        List<Fault> chosen = new ArrayList<>();
        for (String name : only) {
            chosen.add(
                    all.stream()
                            .filter(f -> f.name().equals(name))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    "--only: no scenario '"
                                                            + name
                                                            + "'; there are "
                                                            + String.join(
                                                                    ", ",
                                                                    all.stream()
                                                                            .map(Fault::name)
                                                                            .toList()))));
        }
        return chosen;
    }

    private static ChaosResult report(PrintStream console, ChaosResult r) {
        console.printf(
                "    %s in %.0f s: %d decisions, %d dead letters, %d restarts, %s%n",
                r.passed() ? "passed" : "FAILED",
                r.seconds(),
                r.decisions(),
                r.deadLetters(),
                r.jobRestarts(),
                r.jobStateAtEnd());
        return r;
    }

    private static void table(PrintStream console, List<ChaosResult> results) {
        String format = "%-20s %9s %8s %5s %8s %8s %6s %5s %9s %-9s %s%n";
        console.printf(
                format,
                "scenario",
                "malformed",
                "dead",
                "lost",
                "missing",
                "extra",
                "dupl",
                "rest",
                "seconds",
                "state",
                "passed");
        for (ChaosResult r : results) {
            console.printf(
                    format,
                    r.scenario(),
                    r.malformedSent(),
                    r.deadLetters(),
                    r.lost() + r.validDeadLettered(),
                    r.decisionsMissing(),
                    r.decisionsExtra(),
                    r.duplicates() + r.actuationsMissing(),
                    r.jobRestarts(),
                    String.format("%.0f", r.seconds()),
                    r.jobStateAtEnd().split(" ")[0],
                    r.passed() ? "yes" : "NO");
        }
    }
}
