package io.chiron.app.chaos;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.HashMap;
import java.util.List;

/**
 * A Kubernetes API for the actuator's scale backend: fabric8's mock server in CRUD mode, holding
 * one Deployment per role of the recording's model in namespace {@value #NAMESPACE}, that answers
 * every request with 500 while it is down (an API server in trouble) and serves again after.
 */
final class KubernetesApi implements AutoCloseable {
    static final String NAMESPACE = "serving";

    /** The mock server logs every request at INFO through java.util.logging; held so it sticks. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private volatile boolean down;

    KubernetesApi(String model) {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        Dispatcher dispatcher =
                new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        if (down) {
                            return new MockResponse()
                                    .setResponseCode(500)
                                    .setBody(
                                            "{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                                    + "\"status\":\"Failure\",\"code\":500,"
                                                    + "\"message\":\"etcdserver: request timed"
                                                    + " out\"}");
                        }
                        return crud.dispatch(request);
                    }
                };
        server =
                new KubernetesMockServer(
                        new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
        for (String role : List.of("interactive", "mixed", "batch")) {
            client.apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .resource(
                            new DeploymentBuilder()
                                    .withNewMetadata()
                                    .withName(model + "-" + role)
                                    .endMetadata()
                                    .withNewSpec()
                                    .withReplicas(1)
                                    .endSpec()
                                    .build())
                    .create();
        }
    }

    String masterUrl() {
        return client.getConfiguration().getMasterUrl();
    }

    void down() {
        down = true;
    }

    void up() {
        down = false;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
