package io.chiron.jobs.types;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.AvroCodec;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceSignal;
import io.chiron.records.RequestEvent;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

import org.apache.avro.specific.SpecificRecord;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Serializers of the job's internal records, which cross the network between operators: a tag, then
 * either an Avro record (length and bytes) or a partial window in its own binary form.
 */
public final class RecordSerializers {
    private RecordSerializers() {}

    public static final BinaryTypeInfo<Telemetry> TELEMETRY =
            new BinaryTypeInfo<>(Telemetry.class, new TelemetrySerializer());
    public static final BinaryTypeInfo<PoolInput> POOL_INPUT =
            new BinaryTypeInfo<>(PoolInput.class, new PoolInputSerializer());

    private static final byte AVRO = 0;
    private static final byte PARTIAL = 1;
    private static final byte REQUEST = 2;

    private static <T extends SpecificRecord> void writeAvro(
            AvroCodec<T> codec, T record, DataOutput out) throws IOException {
        byte[] bytes = codec.encode(record);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static <T extends SpecificRecord> T readAvro(AvroCodec<T> codec, DataInput in)
            throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return codec.decode(bytes);
    }

    /** Heartbeat, partial instance window, or late request event. Not thread-safe: duplicated. */
    public static final class TelemetrySerializer extends BinarySerializer<Telemetry> {
        private static final long serialVersionUID = 1L;

        private transient AvroCodec<InstanceHeartbeat> heartbeats;
        private transient AvroCodec<RequestEvent> requests;

        @Override
        protected void write(Telemetry t, DataOutput out) throws IOException {
            codecs();
            if (t.heartbeat != null) {
                out.writeByte(AVRO);
                writeAvro(heartbeats, t.heartbeat, out);
            } else if (t.partial != null) {
                out.writeByte(PARTIAL);
                t.partial.writeTo(out);
            } else {
                out.writeByte(REQUEST);
                writeAvro(requests, t.request, out);
            }
        }

        @Override
        protected Telemetry read(DataInput in) throws IOException {
            codecs();
            byte tag = in.readByte();
            return switch (tag) {
                case AVRO -> Telemetry.of(readAvro(heartbeats, in));
                case PARTIAL -> Telemetry.of(InstanceWindow.readFrom(in));
                case REQUEST -> Telemetry.of(readAvro(requests, in));
                default -> throw new IOException("corrupt telemetry record: tag " + tag);
            };
        }

        private void codecs() {
            if (heartbeats == null) {
                heartbeats = AvroCodec.of(InstanceHeartbeat.class);
                requests = AvroCodec.of(RequestEvent.class);
            }
        }

        @Override
        protected Telemetry fresh() {
            return new Telemetry();
        }

        @Override
        public TypeSerializer<Telemetry> duplicate() {
            return new TelemetrySerializer(); // the codecs reuse buffers: one per thread
        }

        @Override
        public TypeSerializerSnapshot<Telemetry> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores this serializer from a checkpoint. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<Telemetry> {
            public Snapshot() {
                super(TelemetrySerializer::new);
            }
        }
    }

    /** Instance signal, partial pool window, or late request event. Not thread-safe: duplicated. */
    public static final class PoolInputSerializer extends BinarySerializer<PoolInput> {
        private static final long serialVersionUID = 1L;

        private transient AvroCodec<InstanceSignal> signals;
        private transient AvroCodec<RequestEvent> requests;

        @Override
        protected void write(PoolInput p, DataOutput out) throws IOException {
            codecs();
            if (p.signal != null) {
                out.writeByte(AVRO);
                writeAvro(signals, p.signal, out);
            } else if (p.partial != null) {
                out.writeByte(PARTIAL);
                p.partial.writeTo(out);
            } else {
                out.writeByte(REQUEST);
                writeAvro(requests, p.request, out);
            }
        }

        @Override
        protected PoolInput read(DataInput in) throws IOException {
            codecs();
            byte tag = in.readByte();
            return switch (tag) {
                case AVRO -> PoolInput.of(readAvro(signals, in));
                case PARTIAL -> PoolInput.of(PoolWindow.readFrom(in));
                case REQUEST -> PoolInput.of(readAvro(requests, in));
                default -> throw new IOException("corrupt pool input record: tag " + tag);
            };
        }

        private void codecs() {
            if (signals == null) {
                signals = AvroCodec.of(InstanceSignal.class);
                requests = AvroCodec.of(RequestEvent.class);
            }
        }

        @Override
        protected PoolInput fresh() {
            return new PoolInput();
        }

        @Override
        public TypeSerializer<PoolInput> duplicate() {
            return new PoolInputSerializer(); // the codecs reuse buffers: one per thread
        }

        @Override
        public TypeSerializerSnapshot<PoolInput> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores this serializer from a checkpoint. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<PoolInput> {
            public Snapshot() {
                super(PoolInputSerializer::new);
            }
        }
    }
}
