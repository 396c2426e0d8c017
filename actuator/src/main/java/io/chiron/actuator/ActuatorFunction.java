package io.chiron.actuator;

import io.chiron.guard.GuardMemory;
import io.chiron.guard.SafetyGuard;
import io.chiron.guard.TargetAction;
import io.chiron.policy.Commands;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.AvroTrust;
import io.chiron.records.FleetCommand;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The safety guard in the job, keyed by pool, its memory in keyed state (so a restart resumes with
 * the checkpoint's view). Every decision leaves an {@link ActuationResult} on {@link #RESULTS}:
 * REJECTED or DRY_RUN with the reason, or APPLIED once its command goes to the command topic (in
 * the same checkpoint as the command); commands for a Kubernetes or HTTP backend go on, and their
 * sink records the outcome.
 */
public final class ActuatorFunction
        extends KeyedProcessFunction<String, ScalingDecision, FleetCommand> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<ActuationResult> RESULTS =
            new OutputTag<>("actuation-results", new AvroTypeInfo<>(ActuationResult.class));

    private final ActuatorConfig config;
    private transient SafetyGuard guard;
    private transient StateMemory memory;
    private transient Counter applied;
    private transient Counter rejected;
    private transient Map<SafetyGuard.Rule, Counter> rejectedBy;

    public ActuatorFunction(ActuatorConfig config) {
        this.config = config.validate();
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install();
        guard = new SafetyGuard(config.guard);
        memory = new StateMemory();
        applied = getRuntimeContext().getMetricGroup().counter("applied");
        rejected = getRuntimeContext().getMetricGroup().counter("rejected");
        // Rejections by the rule that refused them, every rule registered from the start so a
        // dashboard shows zeros rather than gaps.
        rejectedBy = new EnumMap<>(SafetyGuard.Rule.class);
        for (SafetyGuard.Rule r : SafetyGuard.Rule.values()) {
            if (r != SafetyGuard.Rule.NONE) {
                rejectedBy.put(
                        r,
                        getRuntimeContext()
                                .getMetricGroup()
                                .addGroup("rule", r.name().toLowerCase(Locale.ROOT))
                                .counter("guardRejections"));
            }
        }
    }

    @Override
    public void processElement(ScalingDecision d, Context ctx, Collector<FleetCommand> out)
            throws Exception {
        SafetyGuard.Verdict v = guard.check(d, ctx.timerService().currentWatermark(), memory);
        String model = d.getModel();
        if (v.outcome() == SafetyGuard.Outcome.REJECT) {
            rejected.inc();
            rejectedBy.get(v.rule()).inc();
            ctx.output(
                    RESULTS,
                    result(
                            d.getDecisionId(),
                            null,
                            d.getTsMs(),
                            model,
                            "none",
                            ActuationStatus.REJECTED,
                            v.reason()));
            return;
        }
        FleetCommand command = Commands.of(d, v.value());
        if (v.outcome() == SafetyGuard.Outcome.DRY_RUN) {
            ctx.output(
                    RESULTS,
                    result(
                            d.getDecisionId(),
                            command.getCommandId(),
                            d.getTsMs(),
                            model,
                            "none",
                            ActuationStatus.DRY_RUN,
                            v.reason()));
            return;
        }
        ActuatorConfig.Backend backend = config.backendOf(command.getType());
        if (backend == ActuatorConfig.Backend.NONE) {
            rejected.inc();
            ctx.output(
                    RESULTS,
                    result(
                            d.getDecisionId(),
                            null,
                            d.getTsMs(),
                            model,
                            "none",
                            ActuationStatus.REJECTED,
                            "no backend for " + command.getType()));
            return;
        }
        applied.inc();
        if (backend == ActuatorConfig.Backend.KAFKA) {
            ctx.output(
                    RESULTS,
                    result(
                            d.getDecisionId(),
                            command.getCommandId(),
                            d.getTsMs(),
                            model,
                            "kafka",
                            ActuationStatus.APPLIED,
                            v.reason()));
        }
        out.collect(command);
    }

    static ActuationResult result(
            String decisionId,
            String commandId,
            long tsMs,
            String model,
            String backend,
            ActuationStatus status,
            String reason) {
        return ActuationResult.newBuilder()
                .setDecisionId(decisionId)
                .setCommandId(commandId)
                .setTsMs(tsMs)
                .setActuatedAtMs(System.currentTimeMillis())
                .setModel(model)
                .setBackend(backend)
                .setStatus(status)
                .setReason(reason)
                .build();
    }

    /** {@link GuardMemory} in this pool's keyed state. */
    private final class StateMemory implements GuardMemory {
        private final MapState<String, Long> handled =
                getRuntimeContext()
                        .getMapState(new MapStateDescriptor<>("handled", Types.STRING, Types.LONG));
        private final MapState<String, TargetAction> actions =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "actions",
                                        Types.STRING,
                                        TypeInformation.of(TargetAction.class)));
        private final ListState<Long> times =
                getRuntimeContext()
                        .getListState(new ListStateDescriptor<>("action-times", Types.LONG));
        private final ValueState<Long> forgottenBefore =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("forgotten-before", Types.LONG));

        @Override
        public boolean handled(String decisionId) throws Exception {
            return handled.contains(decisionId);
        }

        @Override
        public void markHandled(String decisionId, long tsMs) throws Exception {
            handled.put(decisionId, tsMs);
        }

        @Override
        public TargetAction lastAction(String target) throws Exception {
            return actions.get(target);
        }

        @Override
        public void recordAction(String target, TargetAction action) throws Exception {
            actions.put(target, action);
        }

        @Override
        public int actionsSince(long sinceMs) throws Exception {
            int n = 0;
            for (Long t : times.get()) {
                n += t >= sinceMs ? 1 : 0;
            }
            return n;
        }

        @Override
        public void recordActionTime(long tsMs) throws Exception {
            times.add(tsMs);
        }

        @Override
        public void forget(long beforeMs) throws Exception {
            List<String> old = new ArrayList<>();
            for (var e : handled.entries()) {
                if (e.getValue() < beforeMs) {
                    old.add(e.getKey());
                }
            }
            for (String id : old) {
                handled.remove(id);
            }
            List<String> oldTargets = new ArrayList<>();
            for (var e : actions.entries()) {
                if (e.getValue().tsMs < beforeMs) {
                    oldTargets.add(e.getKey());
                }
            }
            for (String target : oldTargets) {
                actions.remove(target);
            }
            List<Long> kept = new ArrayList<>();
            for (Long t : times.get()) {
                if (t >= beforeMs) {
                    kept.add(t);
                }
            }
            times.update(kept);
            forgottenBefore.update(beforeMs);
        }

        @Override
        public long forgottenBefore() throws Exception {
            Long before = forgottenBefore.value();
            return before == null ? 0 : before;
        }
    }
}
