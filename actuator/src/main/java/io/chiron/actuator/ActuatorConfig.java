package io.chiron.actuator;

import io.chiron.actuator.backend.KubernetesTarget;
import io.chiron.actuator.backend.WebhookTarget;
import io.chiron.guard.GuardConfig;
import io.chiron.records.CommandType;

import java.io.Serializable;

/** The guard, and which backend carries which command. */
public final class ActuatorConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where a kind of command goes. */
    public enum Backend {
        /** The command topic, for instance agents or a gateway (exactly once, with checkpoints). */
        KAFKA,
        /** The scale subresource of a Deployment, StatefulSet or LeaderWorkerSet. */
        KUBERNETES,
        /** An HTTP webhook. */
        HTTP,
        /** Nowhere: such decisions are recorded as rejected. */
        NONE
    }

    public GuardConfig guard = GuardConfig.defaults();

    /** Backend of SET_REPLICAS. */
    public Backend replicas = Backend.KAFKA;

    /** Backend of SET_BATCH_SIZE (Kubernetes has no batch size to set). */
    public Backend batchSize = Backend.KAFKA;

    public KubernetesTarget kubernetes = new KubernetesTarget();

    public WebhookTarget webhook = new WebhookTarget();

    public Backend backendOf(CommandType type) {
        return type == CommandType.SET_BATCH_SIZE ? batchSize : replicas;
    }

    /** Checks the combination, naming what is wrong. */
    public ActuatorConfig validate() {
        if (batchSize == Backend.KUBERNETES) {
            throw new IllegalArgumentException(
                    "chiron.actuator.backend.batch-size = kubernetes: Kubernetes has no batch size to"
                            + " set; allowed: kafka, http, none");
        }
        if ((replicas == Backend.HTTP || batchSize == Backend.HTTP) && webhook.url == null) {
            throw new IllegalArgumentException("the http backend needs chiron.actuator.http.url");
        }
        return this;
    }
}
