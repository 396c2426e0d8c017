package io.chiron.app.cluster;

import io.chiron.app.Main;
import io.chiron.app.demo.TopicReader;
import io.chiron.kafka.KafkaReachability;
import io.chiron.records.ActuationResult;
import io.chiron.records.FleetCommand;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "On a Flink cluster" path, as an operator takes it (issue 19): a Kafka broker
 * process, a Flink session cluster of a JobManager and a TaskManager process, the topics made with
 * {@code chiron topics}, the job jar submitted with {@code flink run}, telemetry from {@code chiron
 * fleet}. The TaskManager process is killed mid-run and a new one started: the job recovers from
 * its checkpoint, decisions keep coming, and no decision, actuation or command is written twice.
 */
class RealClusterITCase {
    private static final Path JOB_JAR =
            Path.of("..", "jobs", "target", "chiron-jobs-0.1.0-SNAPSHOT-job.jar");

    @Test
    void theSubmittedJobSurvivesALostTaskManagerWithoutDuplicates(@TempDir Path dir)
            throws Exception {
        assertThat(JOB_JAR).as("the job jar of the build").exists();
        try (ClusterProcesses cluster = new ClusterProcesses(dir, Path.of("target", "lib"))) {
            cluster.startKafka();
            String bs = cluster.bootstrapServers();
            awaitBroker(bs, cluster);
            cluster.startJobManager();
            Process taskManager = cluster.startTaskManager();
            assertThat(Main.commandLine().execute("topics", "--bootstrap-servers", bs)).isZero();
            String submitted =
                    cluster.flinkRun(
                            JOB_JAR,
                            "io.chiron.jobs.ChironJob",
                            List.of(
                                    "--chiron.kafka.bootstrap-servers",
                                    bs,
                                    "--chiron.checkpoint.interval",
                                    "3s",
                                    "--chiron.restart.max-backoff",
                                    "5s"));
            Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(submitted);
            assertThat(id.find()).as(submitted).isTrue();
            String job = id.group(1);

            // Thirty simulated minutes of a mixed fleet at x5, twenty times real time: 90 s, so
            // that
            // load is left after the restart (its second batch bulk lands at minute 16) whatever
            // the policy decides before.
            CompletableFuture<Integer> fleet =
                    CompletableFuture.supplyAsync(
                            () ->
                                    Main.commandLine()
                                            .execute(
                                                    "fleet",
                                                    "--bootstrap-servers",
                                                    bs,
                                                    "--trace",
                                                    "azure-conv",
                                                    "--scenario",
                                                    "mixed",
                                                    "--rate-multiplier",
                                                    "5",
                                                    "--duration",
                                                    "30min",
                                                    "--speedup",
                                                    "20"));
            int before = awaitDecisions(bs, 1, cluster);
            taskManager.destroyForcibly().waitFor();
            cluster.startTaskManager();
            awaitDecisions(bs, before + 3, cluster);
            assertThat(fleet.get()).isZero();

            JsonNode status = rest(cluster, "/jobs/" + job);
            assertThat(status.get("state").asText()).isEqualTo("RUNNING");
            // Restarted after the loss: some task is past its first attempt.
            JsonNode exceptions = rest(cluster, "/jobs/" + job + "/exceptions");
            assertThat(exceptions.get("exceptionHistory").get("entries")).isNotEmpty();

            List<ScalingDecision> decisions =
                    TopicReader.readAll(bs, Topic.DECISIONS.defaultName(), ScalingDecision.class);
            List<ActuationResult> actuations =
                    TopicReader.readAll(bs, Topic.ACTUATIONS.defaultName(), ActuationResult.class);
            List<FleetCommand> commands =
                    TopicReader.readAll(bs, Topic.COMMANDS.defaultName(), FleetCommand.class);
            assertThat(repeated(decisions, ScalingDecision::getDecisionId)).isEmpty();
            assertThat(repeated(actuations, a -> a.getDecisionId() + "/" + a.getBackend()))
                    .isEmpty();
            assertThat(repeated(commands, FleetCommand::getCommandId)).isEmpty();
            assertThat(actuations).isNotEmpty();
        }
    }

    private static <T> Map<String, Long> repeated(List<T> records, Function<T, String> id) {
        return records.stream()
                .collect(Collectors.groupingBy(id, Collectors.counting()))
                .entrySet()
                .stream()
                .filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static void awaitBroker(String bs, ClusterProcesses cluster) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try {
                KafkaReachability.check(bs, "the broker process", Map.of(), Duration.ofSeconds(3));
                return;
            } catch (IllegalArgumentException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the broker did not start: " + cluster.log("kafka"));
                }
            }
        }
    }

    /** Waits until at least {@code n} decisions are committed; returns how many there are. */
    private static int awaitDecisions(String bs, int n, ClusterProcesses cluster) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            int count =
                    TopicReader.readAll(bs, Topic.DECISIONS.defaultName(), ScalingDecision.class)
                            .size();
            if (count >= n) {
                return count;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        count
                                + " decisions, waited for "
                                + n
                                + "; task managers: "
                                + cluster.log("taskmanager-1")
                                + cluster.log("taskmanager-2")
                                + "; job manager: "
                                + cluster.log("jobmanager"));
            }
            Thread.sleep(500); // polling a topic, not synchronising threads
        }
    }

    private static JsonNode rest(ClusterProcesses cluster, String path) throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + cluster.restPort
                                                                + path))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
