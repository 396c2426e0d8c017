package io.chiron.policy.global;

import java.util.Map;

/**
 * What one rule of the global autoscaler proposes for its role: the target (the current count when
 * it proposes no change), what the role needs now before hysteresis (the rest is surplus a growing
 * role may take over), why (null without a change), and the inputs it looked at.
 */
record Proposal(int target, int needed, String reason, Map<String, Double> inputs) {
    boolean changes(int current) {
        return target != current;
    }
}
