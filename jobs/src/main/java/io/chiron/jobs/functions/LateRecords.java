package io.chiron.jobs.functions;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.AvroCodec;
import io.chiron.records.AvroTrust;
import io.chiron.records.DeadLetter;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Telemetry that arrived after its window had closed: counted ({@code lateRecords}) and kept, as a
 * dead letter with the reason, so nothing is lost silently; once per record, though a request event
 * reaches both the instance and the pool windows.
 */
public final class LateRecords<T> extends ProcessFunction<T, DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient Counter late;

    /** One codec per record type, made once: a codec builds its Avro reader and writer. */
    private transient Map<Class<?>, AvroCodec<SpecificRecord>> codecs;

    public LateRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install(); // before any record of ours is deserialized in this task
        late = getRuntimeContext().getMetricGroup().counter("lateRecords");
        codecs = new HashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static AvroCodec<SpecificRecord> codec(Class<?> type) {
        return AvroCodec.of((Class<SpecificRecord>) type);
    }

    @Override
    public void processElement(T value, Context ctx, Collector<DeadLetter> out) throws IOException {
        if (value instanceof PoolInput p
                && p.request != null
                && p.request.getInstanceId() != null) {
            // A request event with an instance id went to its instance's window too, and was
            // late there as well: that path dead-letters it, so it is one dead letter, not two.
            return;
        }
        late.inc();
        long ts = ctx.timestamp() == null ? 0 : ctx.timestamp();
        String reason =
                "late: event time "
                        + ts
                        + " behind the watermark "
                        + ctx.timerService().currentWatermark()
                        + "; its window had closed";
        byte[] bytes;
        Object partial = partial(value);
        if (partial != null) {
            // A partial window sent from a source that was idle, then came back behind the
            // others: its events are counted in it, and kept in its binary form.
            DataOutputSerializer buffer = new DataOutputSerializer(256);
            if (partial instanceof InstanceWindow w) {
                w.writeTo(buffer);
                reason += " (a partial window of instance " + w.instanceId() + ")";
            } else {
                ((PoolWindow) partial).writeTo(buffer);
                reason += " (a partial pool window)";
            }
            bytes = buffer.getCopyOfBuffer();
        } else {
            SpecificRecord record = unwrap(value);
            bytes = codecs.computeIfAbsent(record.getClass(), LateRecords::codec).encode(record);
        }
        out.collect(
                DeadLetter.newBuilder()
                        .setSourceTopic(topic)
                        .setPartition(-1)
                        .setOffset(-1)
                        .setTsMs(ts)
                        .setKey(null)
                        .setValue(ByteBuffer.wrap(bytes))
                        .setReason(reason)
                        .setError(null)
                        .build());
    }

    private static Object partial(Object value) {
        if (value instanceof Telemetry t) {
            return t.partial;
        }
        if (value instanceof PoolInput p) {
            return p.partial;
        }
        return null;
    }

    private static SpecificRecord unwrap(Object value) {
        if (value instanceof Telemetry t) {
            return t.heartbeat != null ? t.heartbeat : t.request;
        }
        if (value instanceof PoolInput p) {
            return p.signal != null ? p.signal : p.request;
        }
        return (SpecificRecord) value;
    }
}
