package io.chiron.guard;

import io.chiron.core.RoleCounts;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;

/** Limits the safety guard enforces in front of every backend. */
public final class GuardConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Fewest instances a SET_REPLICAS may leave in each role. */
    public RoleCounts minReplicas = RoleCounts.all(0);

    /** Most instances a SET_REPLICAS may ask for in each role. */
    public RoleCounts maxReplicas = RoleCounts.all(64);

    /** Largest change of a role's instance count in one action; larger steps are cut to this. */
    public int maxStep = 16;

    /** Smallest batch size a SET_BATCH_SIZE may set. */
    public int minBatchSize = 1;

    /** Largest batch size a SET_BATCH_SIZE may set. */
    public int maxBatchSize = 1024;

    /** Replica actions per pool within a minute of event time, at most. */
    public int maxActionsPerMinute = 30;

    /** No reversal (a scale-in after a scale-out of the same role, or back) within this long. */
    public Duration cooldown = Duration.ofSeconds(30);

    /** A decision more than this far behind the actuator's event-time watermark is dropped. */
    public Duration maxAge = Duration.ofMinutes(2);

    /** Compute and record every actuation, apply none. */
    public boolean dryRun = false;

    /**
     * While this file exists every decision is rejected (an operator's kill switch); null: none.
     */
    public String killSwitchFile = null;

    public static GuardConfig defaults() {
        return new GuardConfig();
    }

    public GuardConfig withAllRoles(int min, int max) {
        minReplicas = RoleCounts.all(min);
        maxReplicas = RoleCounts.all(max);
        return this;
    }

    boolean killed() {
        return killSwitchFile != null && Path.of(killSwitchFile).toFile().exists();
    }
}
