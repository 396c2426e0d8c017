package io.chiron.gateway;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.function.Predicate;

/**
 * The global queue of DESIGN.md §2 at the gateway: interactive requests first come first served,
 * batch requests earliest deadline first (ties by arrival), bounded in size. Event-loop confined.
 */
final class GlobalQueue {
    private static final Comparator<Pending> EDF =
            Comparator.comparingLong((Pending p) -> p.deadlineMs).thenComparingLong(p -> p.seq);

    private final ArrayDeque<Pending> interactive = new ArrayDeque<>();
    private final PriorityQueue<Pending> batch = new PriorityQueue<>(EDF);
    private final int capacity;

    GlobalQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a request; false when the queue is full. */
    boolean offer(Pending p) {
        if (size() >= capacity) {
            return false;
        }
        if (p.interactive()) {
            interactive.add(p);
        } else {
            batch.add(p);
        }
        return true;
    }

    /** Puts a request that could not start back at the head of its order. */
    void requeue(Pending p) {
        if (p.interactive()) {
            interactive.addFirst(p);
        } else {
            batch.add(p);
        }
    }

    Pending peekInteractive() {
        return interactive.peek();
    }

    Pending peekBatch() {
        return batch.peek();
    }

    boolean remove(Pending p) {
        return p.interactive() ? interactive.remove(p) : batch.remove(p);
    }

    int size() {
        return interactive.size() + batch.size();
    }

    int interactiveSize() {
        return interactive.size();
    }

    int batchSize() {
        return batch.size();
    }

    /** Removes and hands over every request matching {@code expired}. */
    void expire(Predicate<Pending> expired, java.util.function.Consumer<Pending> out) {
        java.util.List<Pending> gone = new java.util.ArrayList<>();
        for (java.util.Collection<Pending> q : java.util.List.of(interactive, batch)) {
            for (Iterator<Pending> it = q.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (expired.test(p)) {
                    it.remove();
                    gone.add(p);
                }
            }
        }
        gone.forEach(out);
    }
}
