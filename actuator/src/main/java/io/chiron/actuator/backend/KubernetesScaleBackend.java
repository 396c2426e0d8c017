package io.chiron.actuator.backend;

import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sets replicas through the scale subresource (all the RBAC it needs: get and patch on the scale of
 * the named resources, nothing else: no discovery, no update, no read of the resource itself). A
 * target state: a command whose count is already there changes nothing, so a command replayed after
 * a failure is harmless.
 */
public final class KubernetesScaleBackend implements CommandBackend {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Retries of a failed request (5xx or no connection), after the first attempt. */
    static final int RETRIES = 3;

    /** First wait between attempts, doubling. */
    static final int RETRY_BACKOFF_MS = 200;

    private final KubernetesTarget target;
    private final KubernetesClient client;

    public KubernetesScaleBackend(KubernetesTarget target) {
        this.target = target;
        Config config =
                target.masterUrl == null
                        ? Config.autoConfigure(null)
                        : new ConfigBuilder(Config.empty())
                                .withMasterUrl(target.masterUrl)
                                .withTrustCerts(target.trustCerts)
                                .withNamespace(target.namespace)
                                .build();
        // A bounded retry: the client's default (10 retries, 100 ms doubling: minutes) on an API
        // server answering 500 held the sink, and with it every checkpoint of the job, for minutes
        // per command (chiron chaos, kubernetes-down). Four attempts, 200 ms doubling; a command
        // that still fails is recorded FAILED, and the next decision states the target again.
        config.setRequestRetryBackoffLimit(RETRIES);
        config.setRequestRetryBackoffInterval(RETRY_BACKOFF_MS);
        this.client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String apply(FleetCommand c) {
        if (c.getType() != CommandType.SET_REPLICAS || c.getRole() == null) {
            throw new IllegalArgumentException("kubernetes sets replicas only, not " + c.getType());
        }
        String name = target.resourceName(c.getModel(), c.getRole().name());
        var resource =
                client.genericKubernetesResources(target.context())
                        .inNamespace(target.namespace)
                        .withName(name);
        Scale scale;
        try {
            scale = resource.scale();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                scale = null;
            } else {
                throw e;
            }
        }
        if (scale == null) {
            throw new IllegalStateException(
                    "no "
                            + target.kind
                            + " "
                            + target.namespace
                            + "/"
                            + name
                            + " with a scale subresource");
        }
        Integer current = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
        if (current != null && current == c.getValue()) {
            return String.format(
                    "%s %s/%s already at %d replicas",
                    target.kind, target.namespace, name, current);
        }
        patchReplicas(name, c.getValue());
        return String.format(
                "%s %s/%s replicas %s -> %d",
                target.kind, target.namespace, name, current, c.getValue());
    }

    /**
     * A JSON merge patch of the scale subresource, so the RBAC needs {@code patch} there and no
     * {@code update} (the client's own {@code scale(n)} replaces the object with a PUT, then reads
     * the whole resource).
     */
    private void patchReplicas(String name, int replicas) {
        ResourceDefinitionContext ctx = target.context();
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        String path =
                (ctx.getGroup().isEmpty() ? "/api/" : "/apis/" + ctx.getGroup() + "/")
                        + ctx.getVersion()
                        + "/namespaces/"
                        + target.namespace
                        + "/"
                        + ctx.getPlural()
                        + "/"
                        + name
                        + "/scale";
        HttpRequest request =
                client.getHttpClient()
                        .newHttpRequestBuilder()
                        .uri(base + path)
                        .patch(
                                "application/merge-patch+json",
                                "{\"spec\":{\"replicas\":" + replicas + "}}")
                        .build();
        HttpResponse<String> response;
        try {
            response =
                    client.getHttpClient()
                            .sendAsync(request, String.class)
                            .get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scaling " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "PATCH " + path + " failed: " + (e.getCause() != null ? e.getCause() : e), e);
        }
        if (!response.isSuccessful()) {
            throw new IllegalStateException(
                    "PATCH "
                            + path
                            + " answered "
                            + response.code()
                            + (response.code() == 403
                                    ? " (forbidden: grant patch on the scale subresource)"
                                    : "")
                            + ": "
                            + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    @Override
    public void close() {
        client.close();
    }
}
