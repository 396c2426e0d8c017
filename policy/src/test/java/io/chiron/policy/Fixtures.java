package io.chiron.policy;

import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;
import io.chiron.records.TestRecords;

/** Signals and a round-numbered GPU profile whose arithmetic a test can do by hand. */
public final class Fixtures {
    private Fixtures() {}

    public static final long T0 = 1_700_000_000_000L;

    /**
     * Decode steps take 10 ms at any batch size and context (T(B) = 100·B tokens/s); prefill costs
     * 0.1 ms per token (2,048 tokens in 204.8 ms).
     */
    public static LatencyModel flatModel() {
        return new LatencyModel(
                GpuProfile.fromCsv(
                        "flat",
                        """
                        phase,batch_size,context_tokens,prompt_tokens,latency_ms
                        decode,1,0,0,10
                        decode,512,0,0,10
                        decode,1,4096,0,10
                        decode,512,4096,0,10
                        prefill,1,0,1024,102.4
                        prefill,1,0,2048,204.8
                        """));
    }

    /** A RUNNING instance's 5 s window with full telemetry (5 heartbeats). */
    public static InstanceSignal.Builder instance(String id, int batchCap) {
        return TestRecords.instanceSignal(id, T0, T0 + 5_000)
                .setBatchCap(batchCap)
                .setRunningMean(batchCap)
                .setRunningMax(batchCap)
                .setRunningInteractive(batchCap)
                .setItlSloMs(50)
                .setItlP50Ms(20)
                .setItlP95Ms(20)
                .setItlP99Ms(20)
                .setDecodeSteps(250)
                .setOutputTokens(10_000)
                .setOutputTokensPerS(2_000);
    }

    /** A calm pool window ending at {@code endMs}: nothing queued, little interactive load. */
    public static PoolSignal.Builder pool(long endMs) {
        return TestRecords.poolSignal(endMs - 5_000, endMs)
                .setInstancesInteractive(1)
                .setInstancesBatch(1)
                .setBatchCapInteractive(100)
                .setBatchCapBatch(100)
                .setRunningInteractive(35)
                .setBatchCapMean(100)
                .setOutputTokensMean(100)
                .setItlP95Ms(20);
    }

    public static QueueGroup batchGroup(long deadlineMs, long requests, long promptTokens) {
        return QueueGroup.newBuilder()
                .setRequestClass(RequestClass.BATCH)
                .setSloBucketMs(deadlineMs)
                .setEarliestDeadlineTsMs(deadlineMs)
                .setRequests(requests)
                .setPromptTokens(promptTokens)
                .build();
    }

    /**
     * Minimums of zero, so a test sees only the rule it exercises, and U_target 0.8, which the
     * tests' derivations by hand use (the default is 0.75).
     */
    public static ChironConfig config() {
        return ChironConfig.defaults()
                .with(
                        c -> {
                            c.utilizationTarget = 0.8;
                            c.minInteractive = 1;
                            c.minMixed = 0;
                            c.minBatch = 0;
                        });
    }
}
