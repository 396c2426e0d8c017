package io.chiron.jobs.functions;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.local.LocalAutoscaler;
import io.chiron.policy.local.LocalState;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.AvroTrust;
import io.chiron.records.InstanceSignal;
import io.chiron.records.InstanceState;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Runs the local autoscaler of {@code policy/} per instance, its state in Flink keyed state. An
 * instance that stops, or that sends no signal for {@link #FORGET_AFTER} of event time, leaves no
 * state or timer behind.
 */
public final class LocalAutoscalerFunction
        extends KeyedProcessFunction<String, InstanceSignal, ScalingDecision> {
    private static final long serialVersionUID = 1L;
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final ChironConfig config;
    private final String profile;
    private final String policyName;
    private transient LocalAutoscaler autoscaler;
    private transient ValueState<LocalState> state;
    private transient ValueState<Long> lastSeen;
    private transient Counter decisions;

    public LocalAutoscalerFunction(ChironConfig config, String profile, String policyName) {
        this.config = config;
        this.profile = profile;
        this.policyName = policyName;
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install(); // before any record of ours is deserialized in this task
        autoscaler =
                new LocalAutoscaler(config, new LatencyModel(GpuProfile.load(profile)), policyName);
        state =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("local-state", LocalState.class));
        lastSeen =
                getRuntimeContext().getState(new ValueStateDescriptor<>("last-seen", Long.class));
        decisions = getRuntimeContext().getMetricGroup().counter("decisions");
    }

    @Override
    public void processElement(InstanceSignal s, Context ctx, Collector<ScalingDecision> out)
            throws Exception {
        if (s.getState() == InstanceState.STOPPED) {
            clear(ctx);
            return;
        }
        LocalState current = state.value();
        if (current == null) {
            current = new LocalState();
        }
        var decision = autoscaler.decide(s, current);
        state.update(current);
        if (decision.isPresent()) {
            decisions.inc();
            out.collect(decision.get());
        }
        Long previous = lastSeen.value();
        if (previous != null) {
            ctx.timerService().deleteEventTimeTimer(previous + FORGET_AFTER.toMillis());
        }
        lastSeen.update(s.getWindowEndMs());
        ctx.timerService().registerEventTimeTimer(s.getWindowEndMs() + FORGET_AFTER.toMillis());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ScalingDecision> out) {
        // Only the latest signal's timer is live: firing means the instance went silent.
        state.clear();
        lastSeen.clear();
    }

    private void clear(Context ctx) throws Exception {
        Long previous = lastSeen.value();
        if (previous != null) {
            ctx.timerService().deleteEventTimeTimer(previous + FORGET_AFTER.toMillis());
        }
        state.clear();
        lastSeen.clear();
    }
}
