package io.chiron.jobs.types;

import io.chiron.jobs.records.InstancePane;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolBook;
import io.chiron.policy.signals.PoolWindow;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** The serializers of the job's state classes, and their type information. */
public final class StateSerializers {
    private StateSerializers() {}

    public static final BinaryTypeInfo<InstanceWindow> INSTANCE_WINDOW =
            new BinaryTypeInfo<>(InstanceWindow.class, new InstanceWindowSerializer());
    public static final BinaryTypeInfo<PoolWindow> POOL_WINDOW =
            new BinaryTypeInfo<>(PoolWindow.class, new PoolWindowSerializer());
    public static final BinaryTypeInfo<PoolBook> POOL_BOOK =
            new BinaryTypeInfo<>(PoolBook.class, new PoolBookSerializer());

    public static final BinaryTypeInfo<InstancePane> INSTANCE_PANE =
            new BinaryTypeInfo<>(InstancePane.class, new InstancePaneSerializer());

    public static final class InstancePaneSerializer extends BinarySerializer<InstancePane> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(InstancePane value, DataOutput out) throws IOException {
            out.writeLong(value.startMs);
            out.writeLong(value.endMs);
            value.window.writeTo(out);
        }

        @Override
        protected InstancePane read(DataInput in) throws IOException {
            long start = in.readLong();
            long end = in.readLong();
            return new InstancePane(start, end, InstanceWindow.readFrom(in));
        }

        @Override
        protected InstancePane fresh() {
            return new InstancePane(0, 0, new InstanceWindow());
        }

        @Override
        public TypeSerializerSnapshot<InstancePane> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores this serializer from a checkpoint. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<InstancePane> {
            public Snapshot() {
                super(InstancePaneSerializer::new);
            }
        }
    }

    public static final class InstanceWindowSerializer extends BinarySerializer<InstanceWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(InstanceWindow value, DataOutput out) throws IOException {
            value.writeTo(out);
        }

        @Override
        protected InstanceWindow read(DataInput in) throws IOException {
            return InstanceWindow.readFrom(in);
        }

        @Override
        protected InstanceWindow fresh() {
            return new InstanceWindow();
        }

        @Override
        public TypeSerializerSnapshot<InstanceWindow> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores this serializer from a checkpoint. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<InstanceWindow> {
            public Snapshot() {
                super(InstanceWindowSerializer::new);
            }
        }
    }

    public static final class PoolWindowSerializer extends BinarySerializer<PoolWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(PoolWindow value, DataOutput out) throws IOException {
            value.writeTo(out);
        }

        @Override
        protected PoolWindow read(DataInput in) throws IOException {
            return PoolWindow.readFrom(in);
        }

        @Override
        protected PoolWindow fresh() {
            return new PoolWindow();
        }

        @Override
        public TypeSerializerSnapshot<PoolWindow> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores this serializer from a checkpoint. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<PoolWindow> {
            public Snapshot() {
                super(PoolWindowSerializer::new);
            }
        }
    }

    public static final class PoolBookSerializer extends BinarySerializer<PoolBook> {
        private static final long serialVersionUID = 1L;

        @Override
        protected void write(PoolBook value, DataOutput out) throws IOException {
            value.writeTo(out);
        }

        @Override
        protected PoolBook read(DataInput in) throws IOException {
            return PoolBook.readFrom(in);
        }

        @Override
        protected PoolBook fresh() {
            return new PoolBook();
        }

        @Override
        public TypeSerializerSnapshot<PoolBook> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Restores this serializer from a checkpoint. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<PoolBook> {
            public Snapshot() {
                super(PoolBookSerializer::new);
            }
        }
    }
}
