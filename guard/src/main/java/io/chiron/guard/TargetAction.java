package io.chiron.guard;

/** The last action applied to one target (an instance's batch size, a role's replica count). */
public class TargetAction {
    /** Event time of the decision, epoch ms. */
    public long tsMs;

    /** The value set. */
    public int value;

    /** +1 up, -1 down, 0 unchanged. */
    public int direction;

    /** The decision that set it. */
    public String decisionId;

    public TargetAction() {}

    public TargetAction(long tsMs, int value, int direction, String decisionId) {
        this.tsMs = tsMs;
        this.value = value;
        this.direction = direction;
        this.decisionId = decisionId;
    }
}
