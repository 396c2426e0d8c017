package io.chiron.jobs;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.jobs.types.RecordSerializers;
import io.chiron.jobs.types.StateSerializers;
import io.chiron.policy.ChironConfig;
import io.chiron.policy.global.PoolState;
import io.chiron.policy.local.LocalState;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolBook;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** No Kryo anywhere: every type on the job's edges and in its state has a serializer of its own. */
class TypeSerializationTest {

    @Test
    void everyEdgeOfTheJobHasANonGenericTypeEvenWithGenericTypesDisabled() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var requests =
                env.fromData(List.<RequestEvent>of(), new AvroTypeInfo<>(RequestEvent.class));
        var heartbeats =
                env.fromData(
                        List.<InstanceHeartbeat>of(), new AvroTypeInfo<>(InstanceHeartbeat.class));
        ChironJob.Streams streams =
                ChironJob.build(requests, heartbeats, new Configuration(), ChironConfig.defaults());

        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        Set<Transformation<?>> seen = new HashSet<>();
        ArrayDeque<Transformation<?>> todo = new ArrayDeque<>();
        for (var s :
                List.of(
                        streams.decisions(),
                        streams.lateRecords(),
                        streams.instanceSignals(),
                        streams.slidingSignals(),
                        streams.poolSignals())) {
            todo.add(s.getTransformation());
        }
        while (!todo.isEmpty()) {
            Transformation<?> t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            TypeInformation<?> type = t.getOutputType();
            assertThat(type).as(t.getName()).isNotInstanceOf(GenericTypeInfo.class);
            // Throws for any generic type nested in a POJO when generic types are disabled.
            type.createSerializer(noKryo);
            todo.addAll(t.getInputs());
        }
        assertThat(seen).hasSizeGreaterThan(10);
    }

    @Test
    void policyStateClassesArePojos() {
        assertThat(TypeInformation.of(LocalState.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PoolState.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void theWindowAccumulatorSerializerRoundTrips() throws Exception {
        InstanceWindow w = new InstanceWindow();
        w.add(io.chiron.records.TestRecords.heartbeat().build());
        var serializer =
                StateSerializers.INSTANCE_WINDOW.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(w, out);
        InstanceWindow back =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.toSignal(0, 5_000)).isEqualTo(w.toSignal(0, 5_000));
        assertThat(serializer.copy(w).toSignal(0, 5_000)).isEqualTo(w.toSignal(0, 5_000));
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void theInternalRecordsRoundTripInEachOfTheirForms() throws Exception {
        var telemetry = RecordSerializers.TELEMETRY.createSerializer(new SerializerConfigImpl());
        var hb = io.chiron.records.TestRecords.heartbeat().build();
        assertThat(roundTrip(telemetry, Telemetry.of(hb)).heartbeat).isEqualTo(hb);
        RequestEvent e =
                io.chiron.jobs.functions.PreAggregateTest.event(
                        RequestEventType.FINISHED, "i-1", 1_000, 300);
        assertThat(roundTrip(telemetry, Telemetry.of(e)).request).isEqualTo(e);
        InstanceWindow partial = new InstanceWindow();
        partial.add(e);
        assertThat(roundTrip(telemetry, Telemetry.of(partial)).partial.toSignal(0, 5_000))
                .isEqualTo(partial.toSignal(0, 5_000));
        // Each thread gets its own: the Avro codecs inside reuse their buffers.
        assertThat(telemetry.duplicate()).isNotSameAs(telemetry);

        var pool = RecordSerializers.POOL_INPUT.createSerializer(new SerializerConfigImpl());
        assertThat(roundTrip(pool, PoolInput.of(e)).request).isEqualTo(e);
        PoolWindow pw = new PoolWindow();
        pw.add(e, 60_000);
        PoolInput back = roundTrip(pool, PoolInput.of(pw));
        assertThat(new PoolBook().apply(back.partial, 0, 5_000))
                .isEqualTo(new PoolBook().apply(pw, 0, 5_000));
    }
}
