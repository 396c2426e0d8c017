package io.chiron.actuator;

import java.io.Serializable;

/** Limits the safety guard enforces in front of every backend. */
public final class GuardConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fewest instances a SET_REPLICAS may leave in a role. */
    public int minReplicas = 0;

    /** Most instances a SET_REPLICAS may ask for in a role. */
    public int maxReplicas = 64;

    /** Largest change of a role's instance count in one action; larger steps are cut to this. */
    public int maxStep = 16;

    /** Smallest batch size a SET_BATCH_SIZE may set. */
    public int minBatchSize = 1;

    /** Largest batch size a SET_BATCH_SIZE may set. */
    public int maxBatchSize = 1024;

    /** Compute and record every actuation, apply none. */
    public boolean dryRun = false;

    public static GuardConfig defaults() {
        return new GuardConfig();
    }
}
