package io.chiron.jobs.functions;

import io.chiron.core.RoleCounts;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.global.GlobalAutoscaler;
import io.chiron.policy.global.PoolState;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.AvroTrust;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    private transient Histogram latency;

    /** Per model: the observed instances and the target of each role, for the gauges. */
    private transient Map<String, long[][]> fleet;

    /** Per model: the last pool signal, for the gauges of queue, attainment and TTFT. */
    private transient Map<String, PoolSignal> lastSignal;

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
        // Wall-clock time from a window's end to the decisions taken on it: the loop's reaction
        // time as an operator sees it (watermark delay, window firing, the shuffles).
        latency =
                getRuntimeContext()
                        .getMetricGroup()
                        .histogram("decisionLatencyMs", new DescriptiveStatisticsHistogram(1_000));
        fleet = new HashMap<>();
        lastSignal = new java.util.concurrent.ConcurrentHashMap<>();
    }

    private PoolSignal last(String model) {
        return lastSignal.get(model);
    }

    /** Met over completed in the last window; 1 when nothing completed (nothing was missed). */
    private static double ratio(long met, long completed) {
        return completed == 0 ? 1.0 : (double) met / completed;
    }

    /**
     * Models charted at most per subtask: a model name is client input, and a gauge group per name
     * would let a flood of names grow the metric registry without bound.
     */
    static final int MAX_CHARTED_MODELS = 64;

    /**
     * The gauges of one model: instances and target per role, registered on first sight; a model
     * beyond {@link #MAX_CHARTED_MODELS} gets a scratch array and no gauges.
     */
    private long[][] gauges(String model) {
        if (!fleet.containsKey(model) && fleet.size() >= MAX_CHARTED_MODELS) {
            return new long[2][InstanceRole.values().length];
        }
        return fleet.computeIfAbsent(
                model,
                m -> {
                    long[][] v = new long[2][InstanceRole.values().length];
                    MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("model", m);
                    for (InstanceRole r : InstanceRole.values()) {
                        int i = r.ordinal();
                        MetricGroup role =
                                group.addGroup("role", r.name().toLowerCase(Locale.ROOT));
                        role.gauge("instances", (Gauge<Long>) () -> v[0][i]);
                        role.gauge("target", (Gauge<Long>) () -> v[1][i]);
                    }
                    group.gauge(
                            "queueInteractive", (Gauge<Long>) () -> last(m).getQueueInteractive());
                    group.gauge("queueBatch", (Gauge<Long>) () -> last(m).getQueueBatch());
                    group.gauge("ttftP95Ms", (Gauge<Double>) () -> last(m).getTtftP95Ms());
                    group.gauge(
                            "sloAttainmentInteractive",
                            (Gauge<Double>)
                                    () ->
                                            ratio(
                                                    last(m).getSloMetInteractive(),
                                                    last(m).getCompletionsInteractive()));
                    group.gauge(
                            "sloAttainmentBatch",
                            (Gauge<Double>)
                                    () ->
                                            ratio(
                                                    last(m).getSloMetBatch(),
                                                    last(m).getCompletionsBatch()));
                    return v;
                });
    }

    @Override
    public void processElement(PoolSignal p, Context ctx, Collector<ScalingDecision> out)
            throws Exception {
        PoolState current = state.value();
        if (current == null) {
            current = new PoolState();
        }
        List<ScalingDecision> made = autoscaler.onPoolSignal(p, current);
        long now = System.currentTimeMillis();
        for (ScalingDecision d : made) {
            decisions.inc();
            latency.update(Math.max(0, now - p.getWindowEndMs()));
            out.collect(d);
        }
        state.update(current);
        if (fleet.containsKey(p.getModel()) || fleet.size() < MAX_CHARTED_MODELS) {
            // Charted models only, so the map stays bounded; before the gauges exist, so the
            // reporter's thread never reads a model without a signal.
            lastSignal.put(p.getModel(), p);
        }
        long[][] g = gauges(p.getModel());
        RoleCounts observed = GlobalAutoscaler.observed(p);
        for (InstanceRole r : InstanceRole.values()) {
            g[0][r.ordinal()] = observed.get(r);
            int target = current.lastTarget(r);
            g[1][r.ordinal()] = target >= 0 ? target : observed.get(r);
        }
    }
}
