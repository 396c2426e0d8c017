package io.chiron.policy;

import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.PoolSignal;
import io.chiron.records.QueueGroup;
import io.chiron.records.RequestClass;

import java.util.List;

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
        return InstanceSignal.newBuilder()
                .setInstanceId(id)
                .setModel("m")
                .setRole(InstanceRole.INTERACTIVE)
                .setState(InstanceState.RUNNING)
                .setWindowStartMs(T0)
                .setWindowEndMs(T0 + 5_000)
                .setHeartbeats(5)
                .setBatchCap(batchCap)
                .setRunningMean(batchCap)
                .setRunningMax(batchCap)
                .setRunningInteractive(batchCap)
                .setRunningBatch(0)
                .setKvUtilMean(0)
                .setItlSloMs(50)
                .setItlP50Ms(20)
                .setItlP95Ms(20)
                .setItlP99Ms(20)
                .setDecodeSteps(250)
                .setOutputTokens(10_000)
                .setOutputTokensPerS(2_000)
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

    /** A calm pool window ending at {@code endMs}: nothing queued, little interactive load. */
    public static PoolSignal.Builder pool(long endMs) {
        return PoolSignal.newBuilder()
                .setModel("m")
                .setWindowStartMs(endMs - 5_000)
                .setWindowEndMs(endMs)
                .setInstancesInteractive(1)
                .setInstancesMixed(0)
                .setInstancesBatch(1)
                .setProvisioningInteractive(0)
                .setProvisioningMixed(0)
                .setProvisioningBatch(0)
                .setDraining(0)
                .setStaleInstances(0)
                .setBatchCapInteractive(100)
                .setBatchCapMixed(0)
                .setBatchCapBatch(100)
                .setRunningInteractive(35)
                .setRunningBatch(0)
                .setOutputTokensPerS(0)
                .setDecodeTokensPerSPerInstance(0)
                .setBatchCapMean(100)
                .setArrivalsInteractive(0)
                .setArrivalsBatch(0)
                .setQueueInteractive(0)
                .setQueueBatch(0)
                .setQueueGroups(List.of())
                .setOutputTokensMean(100)
                .setOutputTokensStd(0)
                .setPromptTokensMean(0)
                .setItlP95Ms(20)
                .setTtftP95Ms(0)
                .setCompletionsInteractive(0)
                .setSloMetInteractive(0)
                .setCompletionsBatch(0)
                .setSloMetBatch(0);
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

    /** Minimums of zero, so a test sees only the rule it exercises. */
    public static ChironConfig config() {
        return ChironConfig.defaults()
                .with(
                        c -> {
                            c.minInteractive = 1;
                            c.minMixed = 0;
                            c.minBatch = 0;
                        });
    }
}
