package io.chiron.jobs.functions;

import io.chiron.records.AvroCodec;
import io.chiron.records.AvroTrust;
import io.chiron.records.DeadLetter;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;

/**
 * Telemetry that arrived after its window had closed: counted ({@code lateRecords}) and kept, as a
 * dead letter with the reason, so nothing is lost silently.
 */
public final class LateRecords<T> extends ProcessFunction<T, DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient Counter late;

    public LateRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public void open(OpenContext context) {
        AvroTrust.install(); // before any record of ours is deserialized in this task
        late = getRuntimeContext().getMetricGroup().counter("lateRecords");
    }

    @Override
    public void processElement(T value, Context ctx, Collector<DeadLetter> out) {
        late.inc();
        SpecificRecord record = unwrap(value);
        @SuppressWarnings("unchecked")
        AvroCodec<SpecificRecord> codec = AvroCodec.of((Class<SpecificRecord>) record.getClass());
        long ts = ctx.timestamp() == null ? 0 : ctx.timestamp();
        out.collect(
                DeadLetter.newBuilder()
                        .setSourceTopic(topic)
                        .setPartition(-1)
                        .setOffset(-1)
                        .setTsMs(ts)
                        .setKey(null)
                        .setValue(ByteBuffer.wrap(codec.encode(record)))
                        .setReason(
                                "late: event time "
                                        + ts
                                        + " behind the watermark "
                                        + ctx.timerService().currentWatermark()
                                        + "; its window had closed")
                        .setError(null)
                        .build());
    }

    private static SpecificRecord unwrap(Object value) {
        if (value instanceof io.chiron.jobs.records.Telemetry t) {
            return t.heartbeat != null ? t.heartbeat : t.request;
        }
        if (value instanceof io.chiron.jobs.records.PoolInput p) {
            return p.signal != null ? p.signal : p.request;
        }
        return (SpecificRecord) value;
    }
}
