package io.chiron.guard;

import io.chiron.core.DecisionInputs;
import io.chiron.records.DecisionAction;
import io.chiron.records.ScalingDecision;

/**
 * Decides whether a decision may reach the fleet, and in what form. In order: the kill switch;
 * never twice (idempotency by decision id); never a stale decision (more than max-age behind the
 * event-time watermark); never outside the bounds; never a scale-in on stale telemetry; conflicting
 * decisions for one target at one time resolved the safe way (more replicas, a smaller batch) so
 * the outcome does not depend on their order; no reversal within the cooldown; at most so many
 * replica actions a minute; steps cut to the maximum; dry-run records and applies nothing.
 */
public final class SafetyGuard {
    /** What the guard allows: the value to apply, or why nothing is applied. */
    public record Verdict(Outcome outcome, int value, String reason, Rule rule) {
        public boolean allowed() {
            return outcome == Outcome.APPLY;
        }

        static Verdict reject(Rule rule, String reason) {
            return new Verdict(Outcome.REJECT, 0, reason, rule);
        }
    }

    /** Which rule refused a decision (a metric label: guard rejections by rule). */
    public enum Rule {
        NONE,
        KILL_SWITCH,
        DUPLICATE,
        STALE_DECISION,
        BOUNDS,
        STALE_TELEMETRY,
        CONFLICT,
        COOLDOWN,
        RATE_LIMIT
    }

    /** The three answers. */
    public enum Outcome {
        APPLY,
        REJECT,
        DRY_RUN
    }

    /** Event time between two sweeps of the guard's memory. */
    static final long SWEEP_EVERY_MS = 60_000;

    private final GuardConfig config;

    public SafetyGuard(GuardConfig config) {
        this.config = config;
    }

    /**
     * @param watermarkMs the actuator's event-time watermark (Long.MIN_VALUE when unknown)
     */
    public Verdict check(ScalingDecision d, long watermarkMs, GuardMemory memory) throws Exception {
        if (config.killed()) {
            return Verdict.reject(
                    Rule.KILL_SWITCH, "kill switch on (" + config.killSwitchFile + " exists)");
        }
        if (memory.handled(d.getDecisionId())) {
            return Verdict.reject(
                    Rule.DUPLICATE,
                    "duplicate: decision " + d.getDecisionId() + " was handled already");
        }
        memory.markHandled(d.getDecisionId(), d.getTsMs());
        if (watermarkMs != Long.MIN_VALUE && d.getTsMs() < watermarkMs - config.maxAge.toMillis()) {
            return Verdict.reject(
                    Rule.STALE_DECISION,
                    String.format(
                            "stale: decided at %d, %d s behind the watermark (max age %d s)",
                            d.getTsMs(),
                            (watermarkMs - d.getTsMs()) / 1000,
                            config.maxAge.toSeconds()));
        }
        boolean batch = d.getAction() == DecisionAction.SET_BATCH_SIZE;
        Verdict bounds = batch ? batchBounds(d) : replicaBounds(d);
        if (bounds != null) {
            return bounds;
        }
        int target = d.getTarget();
        int direction = Integer.signum(target - d.getPrevious());
        double stale = d.getInputs().getOrDefault(DecisionInputs.STALE_INSTANCES, 0.0);
        if (!batch && direction < 0 && stale > 0) {
            return Verdict.reject(
                    Rule.STALE_TELEMETRY,
                    "scale-in on stale telemetry: " + (int) stale + " instance(s) not reporting");
        }
        String key = key(d);
        TargetAction last = memory.lastAction(key);
        if (last != null && last.tsMs == d.getTsMs()) {
            boolean safer = batch ? target < last.value : target > last.value;
            if (!safer) {
                return Verdict.reject(
                        Rule.CONFLICT,
                        "conflicts with decision "
                                + last.decisionId
                                + " for the same target at the same time, which is as safe or safer");
            }
        } else if (!batch
                && last != null
                && direction != 0
                && last.direction == -direction
                && d.getTsMs() - last.tsMs < config.cooldown.toMillis()) {
            return Verdict.reject(
                    Rule.COOLDOWN,
                    String.format(
                            "cooldown: %s %d s after the opposite change by %s (cooldown %d s)",
                            direction > 0 ? "scale-out" : "scale-in",
                            (d.getTsMs() - last.tsMs) / 1000,
                            last.decisionId,
                            config.cooldown.toSeconds()));
        }
        String note = "within bounds";
        if (!batch) {
            if (memory.actionsSince(d.getTsMs() - 60_000 + 1) >= config.maxActionsPerMinute) {
                return Verdict.reject(
                        Rule.RATE_LIMIT,
                        "rate limit: "
                                + config.maxActionsPerMinute
                                + " replica actions in the last minute already");
            }
            int step = target - d.getPrevious();
            if (Math.abs(step) > config.maxStep) {
                int cut = d.getPrevious() + Integer.signum(step) * config.maxStep;
                note =
                        String.format(
                                "step %+d larger than max-step %d: set to %d instead of %d",
                                step, config.maxStep, cut, target);
                target = cut;
            }
            memory.recordActionTime(d.getTsMs());
        }
        memory.recordAction(
                key, new TargetAction(d.getTsMs(), target, direction, d.getDecisionId()));
        // What is older than any rule looks back is forgotten. A sweep walks every decision the
        // pool remembers (one per instance and window with the local autoscaler), so it runs once
        // an event-time minute, not per decision: per decision it was 80 % of the job's CPU at
        // 100k instances.
        long horizon =
                d.getTsMs()
                        - Math.max(
                                Math.max(config.maxAge.toMillis(), config.cooldown.toMillis()),
                                600_000);
        if (horizon - memory.forgottenBefore() >= SWEEP_EVERY_MS) {
            memory.forget(horizon);
        }
        if (config.dryRun) {
            return new Verdict(Outcome.DRY_RUN, target, "dry-run: " + note, Rule.NONE);
        }
        return new Verdict(Outcome.APPLY, target, note, Rule.NONE);
    }

    /** The target a decision is about: an instance's batch size or a role's replica count. */
    static String key(ScalingDecision d) {
        return d.getAction() == DecisionAction.SET_BATCH_SIZE
                ? "batch:" + d.getInstanceId()
                : "replicas:" + d.getRole();
    }

    private Verdict batchBounds(ScalingDecision d) {
        if (d.getInstanceId() == null) {
            return Verdict.reject(Rule.BOUNDS, "SET_BATCH_SIZE without an instance id");
        }
        if (d.getTarget() < config.minBatchSize || d.getTarget() > config.maxBatchSize) {
            return Verdict.reject(
                    Rule.BOUNDS,
                    String.format(
                            "batch size %d outside [%d, %d]",
                            d.getTarget(), config.minBatchSize, config.maxBatchSize));
        }
        return null;
    }

    private Verdict replicaBounds(ScalingDecision d) {
        if (d.getRole() == null) {
            return Verdict.reject(Rule.BOUNDS, "SET_REPLICAS without a role");
        }
        int min = config.minReplicas.get(d.getRole());
        int max = config.maxReplicas.get(d.getRole());
        if (d.getTarget() < min || d.getTarget() > max) {
            return Verdict.reject(
                    Rule.BOUNDS,
                    String.format(
                            "%d %s instances outside [%d, %d]",
                            d.getTarget(), d.getRole(), min, max));
        }
        return null;
    }
}
