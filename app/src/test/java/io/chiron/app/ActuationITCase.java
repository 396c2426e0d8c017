package io.chiron.app;

import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.fleet.workload.Scenario;
import io.chiron.guard.GuardConfig;
import io.chiron.guard.InMemoryGuardMemory;
import io.chiron.guard.SafetyGuard;
import io.chiron.jobs.ActuatorOptions;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.Commands;
import io.chiron.records.ActuationStatus;
import io.chiron.records.DecisionAction;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceRole;
import io.chiron.records.RequestEvent;
import io.chiron.records.ScalingDecision;

import org.apache.flink.configuration.Configuration;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart between decisions and their actuation neither loses nor repeats an action: the job
 * fails in the middle of a replay, restarts from its checkpoint, and the outcome on every backend
 * is the one the guard computes over the direct path's decisions.
 */
@EnableKubernetesMockClient(crud = true)
class ActuationITCase {
    /** The mock API server logs every request at INFO; held so the level sticks. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private static Recording recording;
    private static List<FleetCommand> expected;

    KubernetesClient client;
    private HttpServer server;
    private final List<String> keys = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void record() throws Exception {
        MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
        recording = Recording.of("azure-code", Scenario.BURSTY, 10, Duration.ofMinutes(15), 3);
        // What the actuator must do: the guard, in memory, over the direct path's decisions.
        SafetyGuard guard = new SafetyGuard(GuardConfig.defaults());
        InMemoryGuardMemory memory = new InMemoryGuardMemory();
        expected = new ArrayList<>();
        for (ScalingDecision d : Replay.direct(recording, ChironConfig.defaults())) {
            SafetyGuard.Verdict v = guard.check(d, Long.MIN_VALUE, memory);
            if (v.allowed()) {
                expected.add(Commands.of(d, v.value()));
            }
        }
    }

    @BeforeEach
    void startBackends() throws Exception {
        for (String role : List.of("interactive", "mixed", "batch")) {
            client.apps()
                    .deployments()
                    .inNamespace("serving")
                    .resource(
                            new DeploymentBuilder()
                                    .withNewMetadata()
                                    .withName("llama3-8b-" + role)
                                    .endMetadata()
                                    .withNewSpec()
                                    .withReplicas(1)
                                    .endSpec()
                                    .build())
                    .create();
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/commands",
                exchange -> {
                    keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                    exchange.getRequestBody().readAllBytes();
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static Configuration chaos() {
        long requests = recording.records().stream().filter(r -> r instanceof RequestEvent).count();
        Configuration conf = new Configuration();
        conf.set(JobOptions.DRY_RUN, false);
        conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofMillis(200));
        conf.set(JobOptions.FAIL_ONCE_AFTER_RECORDS, requests / 2);
        return conf;
    }

    private static List<String> ids(List<FleetCommand> commands, DecisionAction action) {
        return commands.stream()
                .filter(
                        c ->
                                (c.getInstanceId() != null)
                                        == (action == DecisionAction.SET_BATCH_SIZE))
                .map(FleetCommand::getCommandId)
                .toList();
    }

    @Test
    void theCommandTopicHoldsEachCommandOnceAfterARestart() throws Exception {
        Replay.FlinkRun run = Replay.flink(recording, 1, chaos());
        assertThat(run.restarts()).isPositive();
        assertThat(run.commands()).extracting(FleetCommand::getCommandId).doesNotHaveDuplicates();
        assertThat(run.commands()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(run.actuations())
                .filteredOn(a -> a.getStatus() == ActuationStatus.APPLIED)
                .extracting(a -> a.getCommandId())
                .doesNotHaveDuplicates()
                .hasSize(expected.size());
    }

    private Configuration realBackends(Configuration conf) {
        conf.set(
                ActuatorOptions.REPLICAS_BACKEND,
                io.chiron.actuator.ActuatorConfig.Backend.KUBERNETES);
        conf.set(
                ActuatorOptions.BATCH_SIZE_BACKEND, io.chiron.actuator.ActuatorConfig.Backend.HTTP);
        conf.set(ActuatorOptions.K8S_NAMESPACE, "serving");
        conf.set(ActuatorOptions.K8S_MASTER_URL, client.getConfiguration().getMasterUrl());
        conf.set(ActuatorOptions.K8S_TRUST_CERTS, true);
        conf.set(
                ActuatorOptions.HTTP_URL,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/commands");
        return conf;
    }

    private int replicas(String name) {
        return client.apps()
                .deployments()
                .inNamespace("serving")
                .withName(name)
                .get()
                .getSpec()
                .getReplicas();
    }

    @Test
    void aDryRunRecordsEveryActionAndTouchesNothing() throws Exception {
        Configuration conf = realBackends(new Configuration());
        conf.set(JobOptions.DRY_RUN, true);
        Replay.FlinkRun run = Replay.flink(recording, 1, conf);

        assertThat(run.commands()).isEmpty();
        assertThat(keys).isEmpty();
        for (String role : List.of("interactive", "mixed", "batch")) {
            assertThat(replicas("llama3-8b-" + role)).as(role).isEqualTo(1);
        }
        // What would have been done is on the record, decision by decision, and nothing else:
        // a dry run or the guard's rejection (whether the guard rejects any depends on the
        // policy's decisions on the recording, not on the dry run).
        assertThat(run.actuations())
                .extracting(a -> a.getStatus())
                .isSubsetOf(ActuationStatus.DRY_RUN, ActuationStatus.REJECTED);
        assertThat(run.actuations())
                .filteredOn(a -> a.getStatus() == ActuationStatus.DRY_RUN)
                .hasSize(expected.size());
    }

    @Test
    void kubernetesAndTheWebhookEndAsIfEveryActionRanOnce() throws Exception {
        Replay.FlinkRun run = Replay.flink(recording, 1, realBackends(chaos()));
        assertThat(run.restarts()).isPositive();

        // The webhook saw every batch-size command; a repeat carries the same key, so a receiver
        // that keeps keys applies each once.
        Set<String> distinct = new LinkedHashSet<>(keys);
        assertThat(distinct)
                .containsExactlyInAnyOrderElementsOf(ids(expected, DecisionAction.SET_BATCH_SIZE));

        // Every role ends at the replica count of its last command: target states, so a repeated
        // one changed nothing.
        Map<InstanceRole, Integer> last = new EnumMap<>(InstanceRole.class);
        for (FleetCommand c : expected) {
            if (c.getRole() != null) {
                last.put(c.getRole(), c.getValue());
            }
        }
        assertThat(last).isNotEmpty();
        for (var e : last.entrySet()) {
            String name = "llama3-8b-" + e.getKey().name().toLowerCase();
            assertThat(replicas(name)).as(name).isEqualTo(e.getValue());
        }
        Set<String> failed = new HashSet<>();
        run.actuations().stream()
                .filter(a -> a.getStatus() == ActuationStatus.FAILED)
                .forEach(a -> failed.add(a.getReason()));
        assertThat(failed).isEmpty();
    }
}
