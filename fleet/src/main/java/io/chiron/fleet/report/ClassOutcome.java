package io.chiron.fleet.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What became of every request of one class (DESIGN.md §5, {@code classes.<class>}): each arrived
 * request is met, missed late (finished, but a bound did not hold), dropped, or unfinished at the
 * horizon; {@code feasible} counts those whose bounds can be met at all, alone on an idle instance.
 * The late ones by the bound they broke: {@code late_first_bound} (the TTFT of an interactive
 * request, the deadline of a batch one) and {@code late_itl} (the mean ITL); a request may break
 * both.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClassOutcome(
        long arrived,
        long met,
        long missedLate,
        long missedDropped,
        long missedUnfinished,
        long feasible,
        long lateFirstBound,
        long lateItl) {

    public ClassOutcome {
        if (arrived != met + missedLate + missedDropped + missedUnfinished) {
            throw new IllegalStateException(
                    String.format(
                            "requests unaccounted for: %d arrived != %d met + %d late + %d dropped"
                                    + " + %d unfinished",
                            arrived, met, missedLate, missedDropped, missedUnfinished));
        }
    }

    /** Counts without the breakdown of the late ones (zero). */
    public ClassOutcome(
            long arrived,
            long met,
            long missedLate,
            long missedDropped,
            long missedUnfinished,
            long feasible) {
        this(arrived, met, missedLate, missedDropped, missedUnfinished, feasible, 0, 0);
    }

    /** From the simulator's counts: finished splits into met and late, the rest is open. */
    public static ClassOutcome of(
            long arrived,
            long finished,
            long met,
            long dropped,
            long feasible,
            long lateFirstBound,
            long lateItl) {
        return new ClassOutcome(
                arrived,
                met,
                finished - met,
                dropped,
                arrived - finished - dropped,
                feasible,
                lateFirstBound,
                lateItl);
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
                feasible + o.feasible,
                lateFirstBound + o.lateFirstBound,
                lateItl + o.lateItl);
    }
}
