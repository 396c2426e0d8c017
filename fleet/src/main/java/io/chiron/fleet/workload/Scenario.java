package io.chiron.fleet.workload;

import java.util.Arrays;
import java.util.Locale;

/** The class mix of a workload (DESIGN.md §6). */
public enum Scenario {
    /** The trace as interactive traffic. */
    INTERACTIVE("interactive"),
    /** The trace as interactive traffic plus bulks of batch requests with deadlines. */
    MIXED("mixed"),
    /** The trace as interactive traffic plus one large batch backlog at time zero. */
    BATCH_BACKLOG("batch-backlog"),
    /**
     * A bursty trace (the code trace: minute-long gaps, bursts of dozens per second) as interactive
     * traffic.
     */
    BURSTY("bursty");

    private final String cliName;

    Scenario(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Scenario parse(String name) {
        for (Scenario s : values()) {
            if (s.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException(
                "unknown scenario '"
                        + name
                        + "'; allowed: "
                        + Arrays.stream(values()).map(Scenario::cliName).toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
