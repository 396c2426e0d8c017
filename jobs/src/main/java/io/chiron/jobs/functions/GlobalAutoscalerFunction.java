package io.chiron.jobs.functions;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.global.GlobalAutoscaler;
import io.chiron.policy.global.PoolState;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.AvroTrust;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/** Runs the global autoscaler of {@code policy/} per model pool, its state in keyed state. */
public final class GlobalAutoscalerFunction
        extends KeyedProcessFunction<String, PoolSignal, ScalingDecision> {
    private static final long serialVersionUID = 1L;

    private final ChironConfig config;
    private final String profile;
    private final String policyName;
    private transient GlobalAutoscaler autoscaler;
    private transient ValueState<PoolState> state;
    private transient Counter decisions;

    public GlobalAutoscalerFunction(ChironConfig config, String profile, String policyName) {
        this.config = config;
        this.profile = profile;
        this.policyName = policyName;
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install(); // before any record of ours is deserialized in this task
        autoscaler =
                new GlobalAutoscaler(
                        config,
                        new LatencyModel(GpuProfile.load(profile)),
                        policyName,
                        config.localPeriod.toMillis());
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("pool-state", PoolState.class));
        decisions = getRuntimeContext().getMetricGroup().counter("decisions");
    }

    @Override
    public void processElement(PoolSignal p, Context ctx, Collector<ScalingDecision> out)
            throws Exception {
        PoolState current = state.value();
        if (current == null) {
            current = new PoolState();
        }
        for (ScalingDecision d : autoscaler.onPoolSignal(p, current)) {
            decisions.inc();
            out.collect(d);
        }
        state.update(current);
    }
}
