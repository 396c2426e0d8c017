package io.chiron.guard;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/** {@link GuardMemory} in plain maps: for tests and in-process use. */
public final class InMemoryGuardMemory implements GuardMemory {
    private final Map<String, Long> handled = new HashMap<>();
    private final Map<String, TargetAction> actions = new HashMap<>();
    private final ArrayDeque<Long> times = new ArrayDeque<>();

    @Override
    public boolean handled(String decisionId) {
        return handled.containsKey(decisionId);
    }

    @Override
    public void markHandled(String decisionId, long tsMs) {
        handled.put(decisionId, tsMs);
    }

    @Override
    public TargetAction lastAction(String target) {
        return actions.get(target);
    }

    @Override
    public void recordAction(String target, TargetAction action) {
        actions.put(target, action);
    }

    @Override
    public int actionsSince(long sinceMs) {
        return (int) times.stream().filter(t -> t >= sinceMs).count();
    }

    @Override
    public void recordActionTime(long tsMs) {
        times.add(tsMs);
    }

    private long forgottenBefore;

    @Override
    public void forget(long beforeMs) {
        handled.values().removeIf(ts -> ts < beforeMs);
        actions.values().removeIf(a -> a.tsMs < beforeMs);
        times.removeIf(ts -> ts < beforeMs);
        forgottenBefore = beforeMs;
    }

    @Override
    public long forgottenBefore() {
        return forgottenBefore;
    }

    /** Handled decisions remembered: for tests of forgetting. */
    int handledCount() {
        return handled.size();
    }
}
