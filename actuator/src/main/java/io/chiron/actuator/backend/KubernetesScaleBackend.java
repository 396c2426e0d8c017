package io.chiron.actuator.backend;

import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Sets replicas through the scale subresource (all the RBAC it needs: get and patch on the scale of
 * the named resources). A target state: a command whose count is already there changes nothing, so
 * a command replayed after a failure is harmless.
 */
public final class KubernetesScaleBackend implements CommandBackend {
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
        resource.scale(c.getValue());
        return String.format(
                "%s %s/%s replicas %s -> %d",
                target.kind, target.namespace, name, current, c.getValue());
    }

    @Override
    public void close() {
        client.close();
    }
}
