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
import java.util.LinkedHashMap;
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

    /** The charted models' gauges, by model. */
    private transient Map<String, Charted> charted;

    /**
     * What the gauges of one model read, written by the task, read by the metric reporter: the last
     * pool signal (instances, queue, attainment, TTFT) and the target per role.
     */
    private static final class Charted {
        volatile PoolSignal last;
        final long[] target = new long[InstanceRole.values().length];

        /** The last look's inputs (not changed once published here); empty before the first. */
        volatile Map<String, Double> looked = Map.of();

        /** One of the last look's inputs; NaN while it has none (too little history for it). */
        double looked(String key) {
            return looked.getOrDefault(key, Double.NaN);
        }
    }

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
        charted = new HashMap<>();
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
     * The gauges of one model, registered on first sight with its first signal; null for a model
     * beyond {@link #MAX_CHARTED_MODELS}.
     */
    private Charted chart(PoolSignal first) {
        String model = first.getModel();
        Charted c = charted.get(model);
        if (c != null || charted.size() >= MAX_CHARTED_MODELS) {
            return c;
        }
        Charted v = new Charted();
        // Before the gauges exist: the reporter never reads a model without a signal.
        v.last = PoolSignal.newBuilder(first).build();
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("model", model);
        for (InstanceRole r : InstanceRole.values()) {
            int i = r.ordinal();
            MetricGroup role = group.addGroup("role", r.name().toLowerCase(Locale.ROOT));
            role.gauge(
                    "instances",
                    (Gauge<Long>) () -> (long) GlobalAutoscaler.observed(v.last).get(r));
            role.gauge("target", (Gauge<Long>) () -> v.target[i]);
        }
        // Forecast against actual: the forecast made one horizon ago is what the demand now should
        // be (in PromQL, interactiveForecast offset the horizon against interactiveDemand).
        group.gauge(
                "interactiveDemand",
                (Gauge<Double>) () -> v.looked(GlobalAutoscaler.INTERACTIVE_DEMAND));
        group.gauge(
                "interactiveForecast",
                (Gauge<Double>) () -> v.looked(GlobalAutoscaler.INTERACTIVE_FORECAST));
        group.gauge(
                "interactiveForecastSigma",
                (Gauge<Double>) () -> v.looked(GlobalAutoscaler.INTERACTIVE_FORECAST_SIGMA));
        group.gauge(
                "interactiveSeasonForecast",
                (Gauge<Double>) () -> v.looked(GlobalAutoscaler.INTERACTIVE_SEASON));
        group.gauge(
                "forecastHorizonSeconds",
                (Gauge<Double>) () -> v.looked(GlobalAutoscaler.FORECAST_HORIZON_S));
        group.gauge("queueInteractive", (Gauge<Long>) () -> v.last.getQueueInteractive());
        group.gauge("queueBatch", (Gauge<Long>) () -> v.last.getQueueBatch());
        group.gauge("ttftP95Ms", (Gauge<Double>) () -> v.last.getTtftP95Ms());
        group.gauge(
                "sloAttainmentInteractive",
                (Gauge<Double>)
                        () ->
                                ratio(
                                        v.last.getSloMetInteractive(),
                                        v.last.getCompletionsInteractive()));
        group.gauge(
                "sloAttainmentBatch",
                (Gauge<Double>) () -> ratio(v.last.getSloMetBatch(), v.last.getCompletionsBatch()));
        charted.put(model, v);
        return v;
    }

    @Override
    public void processElement(PoolSignal p, Context ctx, Collector<ScalingDecision> out)
            throws Exception {
        PoolState current = state.value();
        if (current == null) {
            current = new PoolState();
        }
        // In the order the rules put them: the decisions carry this map as their inputs.
        Map<String, Double> looked = new LinkedHashMap<>();
        List<ScalingDecision> made = autoscaler.onPoolSignal(p, current, looked);
        long now = System.currentTimeMillis();
        for (ScalingDecision d : made) {
            decisions.inc();
            latency.update(Math.max(0, now - p.getWindowEndMs()));
            out.collect(d);
        }
        state.update(current);
        Charted c = chart(p);
        if (c != null) {
            // A copy: with object reuse on, the record may be refilled with the next one.
            c.last = PoolSignal.newBuilder(p).build();
            if (!looked.isEmpty()) {
                c.looked = looked;
            }
            RoleCounts observed = GlobalAutoscaler.observed(p);
            for (InstanceRole r : InstanceRole.values()) {
                int target = current.lastTarget(r);
                c.target[r.ordinal()] = target >= 0 ? target : observed.get(r);
            }
        }
    }
}
