package io.chiron.jobs.functions;

import io.chiron.jobs.records.Decoded;
import io.chiron.records.AvroCodec;
import io.chiron.records.DeadLetter;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;
import io.chiron.records.TestRecords;

import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class DecodingDeserializerTest {
    private static final long NOW = TestRecords.HEARTBEAT_TS;

    private static InstanceHeartbeat.Builder heartbeat() {
        return TestRecords.heartbeat();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return record(value, NOW);
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value, long kafkaTs) {
        return new ConsumerRecord<>(
                "chiron.heartbeats",
                0,
                7,
                kafkaTs,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                1,
                value == null ? 0 : value.length,
                "i".getBytes(StandardCharsets.UTF_8),
                value,
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }

    /** A deserializer of heartbeats and what it produced. */
    private static final class Harness implements Collector<Decoded<InstanceHeartbeat>> {
        final DecodingDeserializer<InstanceHeartbeat> schema =
                new DecodingDeserializer<>(InstanceHeartbeat.class);
        final List<Decoded<InstanceHeartbeat>> out = new ArrayList<>();

        Harness() {
            schema.open(null);
        }

        void processElement(ConsumerRecord<byte[], byte[]> r) {
            schema.deserialize(r, this);
        }

        @Override
        public void collect(Decoded<InstanceHeartbeat> d) {
            out.add(d);
        }

        @Override
        public void close() {}

        List<InstanceHeartbeat> values() {
            return out.stream().filter(d -> d.deadLetter == null).map(d -> d.value).toList();
        }

        List<DeadLetter> deadLetters() {
            // Exactly one of the two is set.
            assertThat(out).allMatch(d -> (d.value == null) != (d.deadLetter == null));
            return out.stream().filter(d -> d.deadLetter != null).map(d -> d.deadLetter).toList();
        }
    }

    @Test
    void namesEachStringOfARequestEventThatIsTooLong() {
        Validation validation = Validation.defaults();
        String tooLong = "x".repeat(Validation.DEFAULT_MAX_STRING_LENGTH + 1); // 257 characters
        RequestEvent ok = PreAggregateTest.event(RequestEventType.STARTED, "i-1", NOW, 0);
        assertThat(validation.check(ok, NOW)).isNull();
        // Each of the four strings on its own, the last one too.
        assertThat(
                        List.of(
                                RequestEvent.newBuilder(ok).setRequestId(tooLong).build(),
                                RequestEvent.newBuilder(ok).setModel(tooLong).build(),
                                RequestEvent.newBuilder(ok).setInstanceId(tooLong).build(),
                                RequestEvent.newBuilder(ok).setDropReason(tooLong).build()))
                .extracting(e -> validation.check(e, NOW))
                .containsExactly(
                        "request id of 257 characters is longer than"
                                + " chiron.limits.max-string-length (256)",
                        "model of 257 characters is longer than"
                                + " chiron.limits.max-string-length (256)",
                        "instance id of 257 characters is longer than"
                                + " chiron.limits.max-string-length (256)",
                        "drop reason of 257 characters is longer than"
                                + " chiron.limits.max-string-length (256)");
        // At the bound exactly it fits.
        String atBound = tooLong.substring(1);
        assertThat(validation.check(RequestEvent.newBuilder(ok).setModel(atBound).build(), NOW))
                .isNull();
    }

    @Test
    void boundsEverythingAClientControls() throws Exception {
        AvroCodec<InstanceHeartbeat> codec = AvroCodec.of(InstanceHeartbeat.class);
        var harness = new Harness();
        String longId = "x".repeat(70_000); // over writeUTF's 64 KB, the failure of issue 18
        harness.processElement(record(codec.encode(heartbeat().setInstanceId(longId).build())));
        harness.processElement(
                record(codec.encode(heartbeat().setModel("m".repeat(1_000)).build())));
        harness.processElement(record(codec.encode(heartbeat().setItlMeanMs(1e300).build())));
        harness.processElement(
                record(codec.encode(heartbeat().setItlMaxMs(Double.POSITIVE_INFINITY).build())));
        // A valid event time, a Kafka timestamp of 0: point 4 of issue 18.
        harness.processElement(record(codec.encode(heartbeat().build()), 0));

        assertThat(harness.values()).isEmpty();
        List<DeadLetter> dead = harness.deadLetters();
        assertThat(dead)
                .extracting(DeadLetter::getReason)
                .containsExactly(
                        // 70,000 characters and 53 bytes of the other fields.
                        "record of 70053 bytes is larger than chiron.limits.max-record-bytes"
                                + " (16384); its first 16384 bytes kept",
                        "model of 1000 characters is longer than"
                                + " chiron.limits.max-string-length (256)",
                        "heartbeat ITL (mean 1.0E300 ms, max 12.0 ms) is negative, not a number"
                                + " or over an hour",
                        "heartbeat ITL (mean 10.0 ms, max Infinity ms) is negative, not a number"
                                + " or over an hour",
                        "Kafka timestamp 0 is not a time");
        // The 70,000-character record is over the 16 KiB bound of a dead letter's value: its
        // first 16,384 bytes are kept, so the dead letter fits its topic's 1 MB records.
        assertThat(dead.get(0).getValue().remaining()).isEqualTo(16 * 1024);
    }

    @Test
    void oneRecordFarAheadIsRefusedAndAPersistentJumpBelieved() throws Exception {
        AvroCodec<InstanceHeartbeat> codec = AvroCodec.of(InstanceHeartbeat.class);
        var harness = new Harness();
        long dayAhead = NOW + 86_400_000L;
        for (int i = 0; i < 3; i++) {
            harness.processElement(
                    record(codec.encode(heartbeat().setTsMs(NOW + i * 1000).build())));
        }
        // Event time and Kafka timestamp agree (a producer clock a day ahead): the skew check
        // passes it, the guard does not. Then the telemetry goes on where it was.
        harness.processElement(
                record(codec.encode(heartbeat().setTsMs(dayAhead).build()), dayAhead));
        harness.processElement(record(codec.encode(heartbeat().setTsMs(NOW + 3000).build())));
        assertThat(harness.values()).hasSize(4);
        assertThat(harness.deadLetters())
                .singleElement()
                .extracting(DeadLetter::getReason)
                .asString()
                .contains("ahead of this source's recent telemetry")
                .contains("chiron.time.max-ahead");
        // Seventeen in a row a day ahead: sixteen refused (EventTimeGuard.DEFAULT_CONFIRM), the
        // seventeenth believed and what follows it accepted.
        for (int i = 0; i < 18; i++) {
            long ts = dayAhead + i * 1000;
            harness.processElement(record(codec.encode(heartbeat().setTsMs(ts).build()), ts));
        }
        assertThat(harness.deadLetters()).hasSize(1 + 16);
        assertThat(harness.values()).hasSize(4 + 2);
    }

    @Test
    void passesAValidRecordAndDeadLettersTheRestWithAReason() throws Exception {
        AvroCodec<InstanceHeartbeat> codec = AvroCodec.of(InstanceHeartbeat.class);
        var harness = new Harness();
        byte[] good = codec.encode(heartbeat().build());
        harness.processElement(record(good));
        harness.processElement(record("not avro at all".getBytes(StandardCharsets.UTF_8)));
        harness.processElement(record(java.util.Arrays.copyOf(good, good.length / 3)));
        harness.processElement(record(codec.encode(heartbeat().setBatchCap(-4).build())));
        harness.processElement(record(codec.encode(heartbeat().setItlMeanMs(Double.NaN).build())));
        harness.processElement(
                record(codec.encode(heartbeat().setTsMs(NOW + 3 * 86_400_000L).build())));

        assertThat(harness.values()).singleElement().isEqualTo(heartbeat().build());
        List<DeadLetter> dead = harness.deadLetters();
        assertThat(dead).hasSize(5);
        assertThat(dead)
                .extracting(DeadLetter::getReason)
                .anyMatch(r -> r.contains("not a valid Avro InstanceHeartbeat"))
                .anyMatch(r -> r.contains("negative count"))
                .anyMatch(r -> r.contains("not a number"))
                .anyMatch(r -> r.contains("chiron.time.max-skew"));
        // The bad bytes are kept whole, with where they came from.
        DeadLetter first = dead.get(0);
        assertThat(first.getValue().array())
                .isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));
        assertThat(first.getSourceTopic()).isEqualTo("chiron.heartbeats");
        assertThat(first.getOffset()).isEqualTo(7);
    }
}
