package io.chiron.actuator.backend;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which Kubernetes resource serves a pool's role: {@code apiVersion}/{@code kind} with a scale
 * subresource (apps/v1 Deployment or StatefulSet, leaderworkerset.x-k8s.io/v1 LeaderWorkerSet),
 * named by a template over the model and the role.
 */
public final class KubernetesTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    public String namespace = "default";
    public String apiVersion = "apps/v1";
    public String kind = "Deployment";

    /** Plural of the kind in the API path; null: the kind in lower case plus "s". */
    public String plural = null;

    /** {model} and {role} (lower case) are replaced: llama3-8b-interactive. */
    public String nameTemplate = "{model}-{role}";

    /** API server; null: the usual discovery (in-cluster service account, or ~/.kube/config). */
    public String masterUrl = null;

    /** Trust any server certificate: for test servers only. */
    public boolean trustCerts = false;

    /**
     * The resource's API coordinates, given rather than discovered: the server's discovery may not
     * list a custom resource, and the actuator's RBAC need not allow discovery.
     */
    public ResourceDefinitionContext context() {
        int slash = apiVersion.indexOf('/');
        return new ResourceDefinitionContext.Builder()
                .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
                .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
                .withKind(kind)
                .withPlural(plural != null ? plural : kind.toLowerCase(Locale.ROOT) + "s")
                .withNamespaced(true)
                .build();
    }

    public String resourceName(String model, String role) {
        return nameTemplate
                .replace("{model}", model)
                .replace("{role}", role.toLowerCase(Locale.ROOT));
    }
}
