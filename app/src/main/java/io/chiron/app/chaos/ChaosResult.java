package io.chiron.app.chaos;

/**
 * What one scenario of the fault campaign did, against the clean run of the same telemetry.
 *
 * @param malformedSent bad records sent (each must become exactly one dead letter)
 * @param deadLetters dead letters written
 * @param lost bad records with no dead letter
 * @param validDeadLettered valid telemetry turned away (dead letters beyond the bad records sent)
 * @param decisionsMissing decisions of the clean run this run did not make
 * @param decisionsExtra decisions this run made that the clean run did not
 * @param duplicates decisions written twice, plus actuation outcomes recorded twice
 * @param actuationsMissing decisions without an actuation outcome
 * @param jobRestarts how often the job's tasks were restarted
 * @param jobStateAtEnd FINISHED when it was drained at the end; FAILED or the state it was stuck in
 */
public record ChaosResult(
        String scenario,
        String fault,
        long malformedSent,
        long deadLetters,
        long lost,
        long validDeadLettered,
        long decisions,
        long decisionsMissing,
        long decisionsExtra,
        long duplicates,
        long actuationsMissing,
        int jobRestarts,
        String jobStateAtEnd,
        double seconds,
        boolean passed) {}
