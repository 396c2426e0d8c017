package io.chiron.actuator.backend;

import io.chiron.records.InstanceRole;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against fabric8's Kubernetes mock server in CRUD mode: a real API server's contract. */
@EnableKubernetesMockClient(crud = true)
class KubernetesScaleBackendTest {
    KubernetesClient client;
    KubernetesMockServer server;
    private KubernetesScaleBackend backend;

    private KubernetesTarget target(String apiVersion, String kind) {
        KubernetesTarget t = new KubernetesTarget();
        t.namespace = "serving";
        t.apiVersion = apiVersion;
        t.kind = kind;
        t.masterUrl = client.getConfiguration().getMasterUrl();
        t.trustCerts = true;
        return t;
    }

    @BeforeEach
    void deployments() {
        client.apps()
                .deployments()
                .inNamespace("serving")
                .resource(
                        new DeploymentBuilder()
                                .withNewMetadata()
                                .withName("llama3-8b-batch")
                                .endMetadata()
                                .withNewSpec()
                                .withReplicas(2)
                                .endSpec()
                                .build())
                .create();
        backend = new KubernetesScaleBackend(target("apps/v1", "Deployment"));
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void setsReplicasThroughTheScaleSubresource() {
        String outcome = backend.apply(Commands.replicas("c1", InstanceRole.BATCH, 5));
        assertThat(outcome).contains("serving/llama3-8b-batch replicas 2 -> 5");
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("serving")
                                .withName("llama3-8b-batch")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(5);
    }

    @Test
    void aRepeatedCommandChangesNothing() {
        backend.apply(Commands.replicas("c1", InstanceRole.BATCH, 5));
        String generation =
                client.apps()
                        .deployments()
                        .inNamespace("serving")
                        .withName("llama3-8b-batch")
                        .get()
                        .getMetadata()
                        .getResourceVersion();
        assertThat(backend.apply(Commands.replicas("c1", InstanceRole.BATCH, 5)))
                .contains("already at 5");
        assertThat(
                        client.apps()
                                .deployments()
                                .inNamespace("serving")
                                .withName("llama3-8b-batch")
                                .get()
                                .getMetadata()
                                .getResourceVersion())
                .isEqualTo(generation);
    }

    @Test
    void needsOnlyGetAndPatchOnTheScaleSubresourceWhichTheShippedRoleGrants() throws Exception {
        // What the least-privilege Role in docker/kubernetes/actuator-rbac.yaml grants.
        while (server.getRequestCount() > 0 && server.takeRequest(0, TimeUnit.SECONDS) != null) {
            // Drop the set-up's requests.
        }
        int before = server.getRequestCount();
        backend.apply(Commands.replicas("c1", InstanceRole.BATCH, 5));
        backend.apply(Commands.replicas("c1", InstanceRole.BATCH, 5));
        List<String> requests = new ArrayList<>();
        for (int i = before; i < server.getRequestCount(); i++) {
            RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
            requests.add(r.getMethod() + " " + r.getPath());
        }
        String scale = "/apis/apps/v1/namespaces/serving/deployments/llama3-8b-batch/scale";
        assertThat(requests).containsExactly("GET " + scale, "PATCH " + scale, "GET " + scale);

        // The shipped Role allows exactly these, for the three roles' resources, and no more.
        Role role;
        try (var in =
                Files.newInputStream(Path.of("..", "docker", "kubernetes", "actuator-rbac.yaml"))) {
            List<HasMetadata> manifests = client.load(in).items();
            role =
                    manifests.stream()
                            .filter(Role.class::isInstance)
                            .map(Role.class::cast)
                            .findFirst()
                            .orElseThrow();
        }
        assertThat(role.getMetadata().getNamespace()).isEqualTo("serving");
        assertThat(role.getRules()).hasSize(1);
        PolicyRule rule = role.getRules().get(0);
        assertThat(rule.getApiGroups()).containsExactly("apps");
        assertThat(rule.getResources()).containsExactly("deployments/scale");
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
        KubernetesTarget defaults = new KubernetesTarget();
        assertThat(rule.getResourceNames())
                .containsExactlyInAnyOrder(
                        Arrays.stream(InstanceRole.values())
                                .map(r -> defaults.resourceName("llama3-8b", r.name()))
                                .toArray(String[]::new));
    }

    @Test
    void failsClearlyWhenTheResourceIsMissing() {
        assertThatThrownBy(
                        () -> backend.apply(Commands.replicas("c1", InstanceRole.INTERACTIVE, 3)))
                .hasMessageContaining("no Deployment serving/llama3-8b-interactive");
    }

    @Test
    void refusesABatchSize() {
        assertThatThrownBy(() -> backend.apply(Commands.batchSize("c1", "i", 3)))
                .hasMessageContaining("replicas only");
    }

    @Test
    void scalesAStatefulSetAndALeaderWorkerSetToo() {
        client.apps()
                .statefulSets()
                .inNamespace("serving")
                .resource(
                        new StatefulSetBuilder()
                                .withNewMetadata()
                                .withName("llama3-8b-mixed")
                                .endMetadata()
                                .withNewSpec()
                                .withReplicas(1)
                                .endSpec()
                                .build())
                .create();
        try (var sts = new KubernetesScaleBackend(target("apps/v1", "StatefulSet"))) {
            sts.apply(Commands.replicas("c2", InstanceRole.MIXED, 4));
        }
        assertThat(
                        client.apps()
                                .statefulSets()
                                .inNamespace("serving")
                                .withName("llama3-8b-mixed")
                                .get()
                                .getSpec()
                                .getReplicas())
                .isEqualTo(4);

        KubernetesTarget lwsTarget = target("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet");
        client.genericKubernetesResources(lwsTarget.context())
                .inNamespace("serving")
                .resource(
                        new GenericKubernetesResourceBuilder()
                                .withApiVersion("leaderworkerset.x-k8s.io/v1")
                                .withKind("LeaderWorkerSet")
                                .withNewMetadata()
                                .withName("llama3-8b-interactive")
                                .endMetadata()
                                .withAdditionalProperties(Map.of("spec", Map.of("replicas", 1)))
                                .build())
                .create();
        try (var lws = new KubernetesScaleBackend(lwsTarget)) {
            lws.apply(Commands.replicas("c3", InstanceRole.INTERACTIVE, 6));
        }
        var scaled =
                client.genericKubernetesResources(lwsTarget.context())
                        .inNamespace("serving")
                        .withName("llama3-8b-interactive")
                        .get();
        assertThat(((Map<?, ?>) scaled.getAdditionalProperties().get("spec")).get("replicas"))
                .isEqualTo(6);
    }

    @Test
    void anApiServerAnswering500IsTriedFourTimesThenTheCommandFails() {
        // Expectations come before the CRUD store: every GET of this scale answers 500.
        server.expect()
                .get()
                .withPath("/apis/apps/v1/namespaces/serving/deployments/llama3-8b-batch/scale")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500}")
                .always();
        int before = server.getRequestCount();
        assertThatThrownBy(() -> backend.apply(Commands.replicas("c9", InstanceRole.BATCH, 5)))
                .isInstanceOf(RuntimeException.class);
        // The first attempt and RETRIES = 3 more (200, 400, 800 ms apart): not the client's
        // default of ten, which held the actuator's sink, and the job's checkpoints, for minutes.
        assertThat(server.getRequestCount() - before).isEqualTo(1 + KubernetesScaleBackend.RETRIES);
    }
}
