package io.chiron.policy.local;

/**
 * What the local autoscaler remembers about one instance between periods. A Flink POJO (public
 * fields, no-arg constructor), kept in keyed state by the autoscaler job.
 */
public class LocalState {
    /** The batch size last asked for, 0 before the first decision. */
    public int target;

    /** When it was asked for, epoch ms. */
    public long targetSetAtMs;

    /** Output tokens/s before the last increase; NaN when the last action was not an increase. */
    public double throughputBeforeIncrease = Double.NaN;

    /** No increase before this time (plateau hold), epoch ms. */
    public long holdUntilMs;

    public LocalState() {}
}
