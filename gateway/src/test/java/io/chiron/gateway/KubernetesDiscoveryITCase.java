package io.chiron.gateway;

import io.chiron.emulator.Emulator;
import io.chiron.records.InstanceRole;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery from EndpointSlices and the pod-deletion cost, against fabric8's Kubernetes mock server
 * (CRUD mode: a real API server's contract, watches included) with emulated vLLM instances as the
 * pods' servers.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDiscoveryITCase {
    KubernetesClient client;

    private static final String NS = "serving";

    private void pod(String name, String role) {
        client.pods()
                .inNamespace(NS)
                .resource(
                        new PodBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .addToLabels(KubernetesDiscovery.ROLE_LABEL, role)
                                .endMetadata()
                                .build())
                .create();
    }

    private static EndpointSlice slice(
            String name, String pod, int port, boolean ready, boolean terminating) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(KubernetesDiscovery.SERVICE_LABEL, "vllm")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(port)
                .endPort()
                .addNewEndpoint()
                .withAddresses("127.0.0.1")
                .withNewConditions()
                .withReady(ready)
                .withTerminating(terminating)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod)
                .withNamespace(NS)
                .endTargetRef()
                .endEndpoint()
                .build();
    }

    private String cost(String pod) {
        Pod p = client.pods().inNamespace(NS).withName(pod).get();
        return p.getMetadata().getAnnotations() == null
                ? null
                : p.getMetadata().getAnnotations().get(KubernetesDiscovery.DELETION_COST);
    }

    @Test
    void podsOfTheServiceAreInstancesTerminatingOnesDrainAndTheIdlestCostsLeast() throws Exception {
        int a = Await.freePort();
        int b = Await.freePort();
        try (Emulator ea =
                        Emulator.start(
                                Emulator.Options.defaults(),
                                List.of(InstanceRole.INTERACTIVE),
                                a,
                                0,
                                s -> {});
                Emulator eb =
                        Emulator.start(
                                Emulator.Options.defaults(),
                                List.of(InstanceRole.MIXED),
                                b,
                                0,
                                s -> {})) {
            pod("vllm-a", "interactive");
            pod("vllm-b", "mixed");
            pod("vllm-c", "mixed");
            client.discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(NS)
                    .resource(slice("vllm-a", "vllm-a", a, true, false))
                    .create();
            client.discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(NS)
                    .resource(slice("vllm-b", "vllm-b", b, true, false))
                    .create();
            // A pod still starting (not ready, not terminating) is no instance yet.
            client.discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace(NS)
                    .resource(slice("vllm-c", "vllm-c", Await.freePort(), false, false))
                    .create();
            KubernetesDiscovery k8s = new KubernetesDiscovery(client, NS, List.of("vllm"));
            GatewayConfig c = GatewayConfig.defaults().with("127.0.0.1", 0, List.of(), null, null);
            try (Gateway g = Gateway.start(c, s -> {}, k8s)) {
                Await.until(
                        () -> !g.stale("vllm-a") && !g.stale("vllm-b"),
                        "both pods discovered and scraped");
                assertThat(g.cap("vllm-c")).isEqualTo(-1); // unknown to the gateway

                // A long stream on the interactive pod: it is busy, the mixed one idle.
                HttpClient http = HttpClient.newHttpClient();
                String body =
                        "{\"model\":\"llama3-8b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":600,\"stream\":true}";
                HttpRequest req =
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + g.port()
                                                        + "/v1/chat/completions"))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build();
                CompletableFuture<HttpResponse<String>> longOne =
                        http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
                Await.until(() -> g.inFlight("vllm-a") == 1, "the stream on vllm-a");
                // 1 in flight → cost 1; idle → 0: the ReplicaSet would remove vllm-b first.
                Await.until(
                        () -> "1".equals(cost("vllm-a")) && "0".equals(cost("vllm-b")),
                        "deletion costs set");

                // vllm-a is terminating: it drains. New interactive work goes to the mixed pod...
                client.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace(NS)
                        .resource(slice("vllm-a", "vllm-a", a, false, true))
                        .update();
                Await.until(() -> g.draining("vllm-a"), "vllm-a draining");
                HttpResponse<String> next =
                        http.send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + g.port()
                                                                + "/v1/completions"))
                                        .header("content-type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"prompt\":\"a b\",\"max_tokens\":2}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(next.statusCode()).isEqualTo(200);
                assertThat(next.body()).contains("cmpl-emu-" + b); // served by vllm-b's emulator
                // ...while the stream it has finishes whole.
                HttpResponse<String> finished = longOne.get(60, TimeUnit.SECONDS);
                assertThat(finished.body()).contains("\" t599\"").endsWith("data: [DONE]\n\n");

                // Its slice gone and nothing in flight: the gateway forgets it.
                client.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace(NS)
                        .withName("vllm-a")
                        .delete();
                Await.until(() -> g.cap("vllm-a") == -1, "vllm-a forgotten");
                assertThat(g.cap("vllm-b")).isEqualTo(256);
            }
        }
    }
}
