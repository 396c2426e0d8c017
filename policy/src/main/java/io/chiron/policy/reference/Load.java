package io.chiron.policy.reference;

/**
 * The whole load of a run, known in advance: what only the hindsight reference may see. Arrays of
 * one entry per request, sorted by arrival (epoch ms); deadlines are 0 for interactive requests.
 */
public record Load(
        long[] arrivalMs, boolean[] interactive, int[] prompt, int[] output, long[] deadlineMs) {}
