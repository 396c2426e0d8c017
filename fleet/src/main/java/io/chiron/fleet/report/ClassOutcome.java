package io.chiron.fleet.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What became of every request of one class (DESIGN.md §5, {@code classes.<class>}): each arrived
 * request is met, missed late (finished, but a bound did not hold), dropped, or unfinished at the
 * horizon; {@code feasible} counts those whose bounds can be met at all, alone on an idle instance.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClassOutcome(
        long arrived,
        long met,
        long missedLate,
        long missedDropped,
        long missedUnfinished,
        long feasible) {

    public ClassOutcome {
        if (arrived != met + missedLate + missedDropped + missedUnfinished) {
            throw new IllegalStateException(
                    String.format(
                            "requests unaccounted for: %d arrived != %d met + %d late + %d dropped"
                                    + " + %d unfinished",
                            arrived, met, missedLate, missedDropped, missedUnfinished));
        }
    }

    /** From the simulator's counts: finished splits into met and late, the rest is open. */
    public static ClassOutcome of(
            long arrived, long finished, long met, long dropped, long feasible) {
        return new ClassOutcome(
                arrived, met, finished - met, dropped, arrived - finished - dropped, feasible);
    }

    /** Met over arrived; null (JSON has no NaN) when nothing arrived. */
    @JsonIgnore
    public Double attainment() {
        return arrived == 0 ? null : (double) met / arrived;
    }

    /** The share of arrived requests that could be met at all: the ceiling of attainment. */
    @JsonIgnore
    public Double feasibleShare() {
        return arrived == 0 ? null : (double) feasible / arrived;
    }

    public ClassOutcome plus(ClassOutcome o) {
        return new ClassOutcome(
                arrived + o.arrived,
                met + o.met,
                missedLate + o.missedLate,
                missedDropped + o.missedDropped,
                missedUnfinished + o.missedUnfinished,
                feasible + o.feasible);
    }
}
