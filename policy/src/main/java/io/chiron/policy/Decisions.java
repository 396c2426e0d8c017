package io.chiron.policy;

import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceRole;
import io.chiron.records.ScalingDecision;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Builds {@link ScalingDecision}s with deterministic ids. */
public final class Decisions {
    private Decisions() {}

    /**
     * A name-based UUID of everything that identifies a decision, so the same telemetry always
     * yields the same id, on any path (Flink job, direct replay, simulator) and after a restart.
     */
    public static String id(String policy, String model, String target, long tsMs, int value) {
        String key = policy + '|' + model + '|' + target + '|' + tsMs + '|' + value;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static ScalingDecision batchSize(
            String policy,
            String model,
            String instanceId,
            long tsMs,
            int target,
            int previous,
            String reason,
            Map<String, Double> inputs) {
        return ScalingDecision.newBuilder()
                .setDecisionId(id(policy, model, "batch:" + instanceId, tsMs, target))
                .setTsMs(tsMs)
                .setPolicy(policy)
                .setModel(model)
                .setAction(DecisionAction.SET_BATCH_SIZE)
                .setInstanceId(instanceId)
                .setRole(null)
                .setTarget(target)
                .setPrevious(previous)
                .setReason(reason)
                .setInputs(new TreeMap<>(inputs))
                .build();
    }

    public static ScalingDecision replicas(
            String policy,
            String model,
            InstanceRole role,
            long tsMs,
            int target,
            int previous,
            String reason,
            Map<String, Double> inputs) {
        return ScalingDecision.newBuilder()
                .setDecisionId(id(policy, model, "replicas:" + role, tsMs, target))
                .setTsMs(tsMs)
                .setPolicy(policy)
                .setModel(model)
                .setAction(DecisionAction.SET_REPLICAS)
                .setInstanceId(null)
                .setRole(role)
                .setTarget(target)
                .setPrevious(previous)
                .setReason(reason)
                .setInputs(new TreeMap<>(inputs))
                .build();
    }
}
