package io.chiron.core;

import io.chiron.records.InstanceRole;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * A count per instance role (INTERACTIVE, MIXED, BATCH): instances running, wanted or allowed.
 * Immutable; keyed by the role, never by its position, so nothing depends on the enum's order.
 */
public final class RoleCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final InstanceRole[] ROLES = InstanceRole.values();

    private final EnumMap<InstanceRole, Integer> counts;

    private RoleCounts(EnumMap<InstanceRole, Integer> counts) {
        this.counts = counts;
    }

    public static RoleCounts of(int interactive, int mixed, int batch) {
        EnumMap<InstanceRole, Integer> m = new EnumMap<>(InstanceRole.class);
        m.put(InstanceRole.INTERACTIVE, interactive);
        m.put(InstanceRole.MIXED, mixed);
        m.put(InstanceRole.BATCH, batch);
        return new RoleCounts(m);
    }

    /** The same count for every role. */
    public static RoleCounts all(int n) {
        return of(n, n, n);
    }

    public static RoleCounts zero() {
        return all(0);
    }

    /** Every instance MIXED: the homogeneous fleet of a policy without roles. */
    public static RoleCounts mixed(int n) {
        return of(0, n, 0);
    }

    /** From a map that may lack roles (they count 0). */
    public static RoleCounts of(Map<InstanceRole, Integer> counts) {
        return of(
                counts.getOrDefault(InstanceRole.INTERACTIVE, 0),
                counts.getOrDefault(InstanceRole.MIXED, 0),
                counts.getOrDefault(InstanceRole.BATCH, 0));
    }

    public int get(InstanceRole role) {
        return counts.get(role);
    }

    public int interactive() {
        return get(InstanceRole.INTERACTIVE);
    }

    public int mixed() {
        return get(InstanceRole.MIXED);
    }

    public int batch() {
        return get(InstanceRole.BATCH);
    }

    public RoleCounts with(InstanceRole role, int n) {
        EnumMap<InstanceRole, Integer> m = new EnumMap<>(counts);
        m.put(role, n);
        return new RoleCounts(m);
    }

    public RoleCounts plus(RoleCounts other) {
        EnumMap<InstanceRole, Integer> m = new EnumMap<>(InstanceRole.class);
        for (InstanceRole r : ROLES) {
            m.put(r, get(r) + other.get(r));
        }
        return new RoleCounts(m);
    }

    public int total() {
        int n = 0;
        for (int c : counts.values()) {
            n += c;
        }
        return n;
    }

    /** Whether any role's count is negative. */
    public boolean anyNegative() {
        return counts.values().stream().anyMatch(c -> c < 0);
    }

    /** A mutable copy, for rules that build a target role by role. */
    public EnumMap<InstanceRole, Integer> toMap() {
        return new EnumMap<>(counts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleCounts r && counts.equals(r.counts);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    /** "2 interactive, 1 mixed, 0 batch". */
    @Override
    public String toString() {
        return String.format("%d interactive, %d mixed, %d batch", interactive(), mixed(), batch());
    }
}
