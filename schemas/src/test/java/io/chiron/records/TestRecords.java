package io.chiron.records;

/**
 * Builders of records for tests, every field set to a neutral value (zero, RUNNING, INTERACTIVE,
 * model "m"), so that a test sets only what its assertion is about. Shared by every module's tests
 * through this module's test jar.
 */
public final class TestRecords {
    private TestRecords() {}

    /** Event time of {@link #heartbeat()}: 2023-11-14. */
    public static final long HEARTBEAT_TS = 1_700_000_000_000L;

    /**
     * A heartbeat of RUNNING MIXED instance "i" of model "m" at {@link #HEARTBEAT_TS}: 3 running,
     * 50 decode steps at 10 ms mean ITL (SLO 50 ms) in its 1 s interval, B 64.
     */
    public static InstanceHeartbeat.Builder heartbeat() {
        return InstanceHeartbeat.newBuilder()
                .setInstanceId("i")
                .setModel("m")
                .setRole(InstanceRole.MIXED)
                .setState(InstanceState.RUNNING)
                .setTsMs(HEARTBEAT_TS)
                .setIntervalMs(1000)
                .setBatchCap(64)
                .setRunning(3)
                .setRunningInteractive(3)
                .setRunningBatch(0)
                .setSwapped(0)
                .setKvUsedTokens(1000)
                .setKvCapacityTokens(100_000)
                .setDecodeSteps(50)
                .setItlMeanMs(10)
                .setItlMaxMs(12)
                .setItlSloMs(50)
                .setOutputTokens(150)
                .setPrefillTokens(0)
                .setStartedTsMs(HEARTBEAT_TS - 60_000);
    }

    /**
     * A RUNNING INTERACTIVE instance's window [startMs, endMs) with a heartbeat a second and
     * nothing else happening.
     */
    public static InstanceSignal.Builder instanceSignal(String id, long startMs, long endMs) {
        return InstanceSignal.newBuilder()
                .setInstanceId(id)
                .setModel("m")
                .setRole(InstanceRole.INTERACTIVE)
                .setState(InstanceState.RUNNING)
                .setWindowStartMs(startMs)
                .setWindowEndMs(endMs)
                .setHeartbeats((int) ((endMs - startMs) / 1000))
                .setBatchCap(0)
                .setRunningMean(0)
                .setRunningMax(0)
                .setRunningInteractive(0)
                .setRunningBatch(0)
                .setKvUtilMean(0)
                .setItlSloMs(0)
                .setItlP50Ms(0)
                .setItlP95Ms(0)
                .setItlP99Ms(0)
                .setDecodeSteps(0)
                .setOutputTokens(0)
                .setOutputTokensPerS(0)
                .setPrefillTokens(0)
                .setStarted(0)
                .setCompletions(0)
                .setCompletionsInteractive(0)
                .setSloMetInteractive(0)
                .setCompletionsBatch(0)
                .setSloMetBatch(0)
                .setQueueWaitP95Ms(0)
                .setTtftP50Ms(0)
                .setTtftP95Ms(0)
                .setTtftP99Ms(0);
    }

    /** A pool window [startMs, endMs) of model "m" with no instance, no load and no queue. */
    public static PoolSignal.Builder poolSignal(long startMs, long endMs) {
        return PoolSignal.newBuilder()
                .setModel("m")
                .setWindowStartMs(startMs)
                .setWindowEndMs(endMs)
                .setInstancesInteractive(0)
                .setInstancesMixed(0)
                .setInstancesBatch(0)
                .setProvisioningInteractive(0)
                .setProvisioningMixed(0)
                .setProvisioningBatch(0)
                .setDraining(0)
                .setStaleInstances(0)
                .setBatchCapInteractive(0)
                .setBatchCapMixed(0)
                .setBatchCapBatch(0)
                .setRunningInteractive(0)
                .setRunningBatch(0)
                .setOutputTokensPerS(0)
                .setDecodeTokensPerSPerInstance(0)
                .setBatchCapMean(0)
                .setArrivalsInteractive(0)
                .setArrivalsBatch(0)
                .setQueueInteractive(0)
                .setQueueBatch(0)
                .setQueueGroups(java.util.List.of())
                .setOutputTokensMean(0)
                .setOutputTokensStd(0)
                .setPromptTokensMean(0)
                .setItlP95Ms(0)
                .setTtftP95Ms(0)
                .setCompletionsInteractive(0)
                .setSloMetInteractive(0)
                .setCompletionsBatch(0)
                .setSloMetBatch(0)
                .setArrivalPromptTokensInteractive(0);
    }
}
