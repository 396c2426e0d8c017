package io.chiron.app.chaos;

import io.chiron.app.replay.Recording;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;

import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Valid records from the middle of the recording, and their encodings, to build bad ones from. */
public final class Injector {
    /** The telemetry topics a record may be sent to. */
    public enum Target {
        REQUESTS,
        HEARTBEATS
    }

    static final AvroCodec<RequestEvent> REQUESTS = AvroCodec.of(RequestEvent.class);
    static final AvroCodec<InstanceHeartbeat> HEARTBEATS = AvroCodec.of(InstanceHeartbeat.class);
    static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);

    private final RequestEvent request;
    private final InstanceHeartbeat heartbeat;

    Injector(Recording recording) {
        int middle = recording.records().size() / 2;
        RequestEvent r = null;
        InstanceHeartbeat h = null;
        for (int i = middle; i < recording.records().size() && (r == null || h == null); i++) {
            SpecificRecord rec = recording.records().get(i);
            if (r == null && rec instanceof RequestEvent e && e.getInstanceId() != null) {
                r = e;
            } else if (h == null && rec instanceof InstanceHeartbeat hb) {
                h = hb;
            }
        }
        if (r == null || h == null) {
            throw new IllegalStateException("the recording has no request event or heartbeat");
        }
        this.request = r;
        this.heartbeat = h;
    }

    /** A copy of a valid request event of the recording's middle, to change. */
    public RequestEvent.Builder request() {
        return RequestEvent.newBuilder(request);
    }

    /** A copy of a valid heartbeat of the recording's middle, to change. */
    public InstanceHeartbeat.Builder heartbeat() {
        return InstanceHeartbeat.newBuilder(heartbeat);
    }

    /** Event time of the recording's middle. */
    public long middleTs() {
        return request.getTsMs();
    }

    public Fault.Injection request(RequestEvent e) {
        return new Fault.Injection(Target.REQUESTS, key(e.getInstanceId()), encode(e), middleTs());
    }

    public Fault.Injection heartbeat(InstanceHeartbeat h) {
        return new Fault.Injection(
                Target.HEARTBEATS, key(h.getInstanceId()), HEARTBEATS.encode(h), middleTs());
    }

    public Fault.Injection raw(Target topic, byte[] value) {
        return new Fault.Injection(topic, null, value, middleTs());
    }

    static byte[] encode(RequestEvent e) {
        return REQUESTS.encode(e);
    }

    /** A record of another type (a dead letter) where a request event belongs. */
    public byte[] wrongType() {
        return DEAD_LETTERS.encode(
                DeadLetter.newBuilder()
                        .setSourceTopic("chiron.requests")
                        .setPartition(0)
                        .setOffset(0)
                        .setTsMs(middleTs())
                        .setKey(null)
                        .setValue(null)
                        .setReason("not a request event")
                        .setError(null)
                        .build());
    }

    /** A valid request event's bytes, cut short. */
    public byte[] truncated() {
        byte[] good = encode(request);
        return Arrays.copyOf(good, good.length / 2);
    }

    /** A valid request event's bytes with bytes after its end. */
    public byte[] trailing() {
        byte[] good = encode(request);
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        longer[good.length] = 7;
        return longer;
    }

    /** A request event whose request id claims to be 2 GB long (Avro's zigzag varint length). */
    public static byte[] hugeLengthPrefix() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0); // the type enum, index 0
        long zigzag = (long) Integer.MAX_VALUE << 1;
        while ((zigzag & ~0x7FL) != 0) {
            out.write((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.write((int) zigzag);
        out.writeBytes("abc".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] key(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
