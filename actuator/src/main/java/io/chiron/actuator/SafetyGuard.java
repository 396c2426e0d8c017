package io.chiron.actuator;

import io.chiron.records.DecisionAction;
import io.chiron.records.ScalingDecision;

import java.util.HashSet;
import java.util.Set;

/**
 * Decides whether a decision may reach the fleet, and in what form: never twice (idempotency by
 * decision id), never outside the configured bounds, never a step larger than allowed. Pure Java;
 * one instance per sink writer.
 */
public final class SafetyGuard {
    /** What the guard allows: the value to apply, or why nothing is applied. */
    public record Verdict(boolean allowed, int value, String reason) {
        static Verdict reject(String reason) {
            return new Verdict(false, 0, reason);
        }
    }

    private final GuardConfig config;
    private final Set<String> seen = new HashSet<>();

    public SafetyGuard(GuardConfig config) {
        this.config = config;
    }

    public Verdict check(ScalingDecision d) {
        if (!seen.add(d.getDecisionId())) {
            return Verdict.reject(
                    "duplicate: decision " + d.getDecisionId() + " was handled already");
        }
        int target = d.getTarget();
        if (d.getAction() == DecisionAction.SET_BATCH_SIZE) {
            if (d.getInstanceId() == null) {
                return Verdict.reject("SET_BATCH_SIZE without an instance id");
            }
            if (target < config.minBatchSize || target > config.maxBatchSize) {
                return Verdict.reject(
                        String.format(
                                "batch size %d outside [%d, %d]",
                                target, config.minBatchSize, config.maxBatchSize));
            }
            return new Verdict(true, target, "within bounds");
        }
        if (d.getRole() == null) {
            return Verdict.reject("SET_REPLICAS without a role");
        }
        if (target < config.minReplicas || target > config.maxReplicas) {
            return Verdict.reject(
                    String.format(
                            "%d %s instances outside [%d, %d]",
                            target, d.getRole(), config.minReplicas, config.maxReplicas));
        }
        int step = target - d.getPrevious();
        if (Math.abs(step) > config.maxStep) {
            int cut = d.getPrevious() + Integer.signum(step) * config.maxStep;
            return new Verdict(
                    true,
                    cut,
                    String.format(
                            "step %+d larger than max-step %d: set to %d instead of %d",
                            step, config.maxStep, cut, target));
        }
        return new Verdict(true, target, "within bounds");
    }
}
