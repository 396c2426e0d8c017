package io.chiron.app.bench;

import io.chiron.records.AvroCodec;
import io.chiron.records.AvroTrust;
import io.chiron.records.RequestEvent;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Decoding alone, in memory: the request events of the pipeline benchmark decoded with Avro's
 * defaults (a {@link SpecificDatumReader} over each value's bytes, as a plain consumer would) and
 * with {@link AvroCodec}, which the job and the pipeline benchmark's raw side both use. Rounds of
 * the two alternate in one JVM, after a warm-up of each, so the machine's drift falls on both.
 */
public final class DecodeBench {
    /** One round of one side. */
    public record Rate(String what, long records, double seconds) {
        public double perSecond() {
            return records / seconds;
        }
    }

    public static final String AVRO = "avro defaults";
    public static final String CODEC = "chiron codec";

    private DecodeBench() {}

    /** Decodes {@code records} encoded events {@code rounds} times each way, alternating. */
    public static List<Rate> run(int records, int rounds, Consumer<String> progress) {
        SplittableRandom random = new SplittableRandom(42);
        RequestEvent.Builder b = PipelineBench.eventTemplate();
        AvroCodec<RequestEvent> codec = AvroCodec.of(RequestEvent.class);
        byte[][] values = new byte[records][];
        for (int i = 0; i < records; i++) {
            values[i] = codec.encode(PipelineBench.event(b, random, i, 1_767_225_600_000L, 1000));
        }
        AvroDefaults avro = new AvroDefaults();
        List<Rate> out = new ArrayList<>();
        long check = 0;
        for (int round = -1; round < rounds; round++) { // round -1: the warm-up, not reported
            for (String side : round % 2 == 0 ? List.of(AVRO, CODEC) : List.of(CODEC, AVRO)) {
                long start = System.nanoTime();
                for (byte[] v : values) {
                    RequestEvent e = side.equals(AVRO) ? avro.decode(v) : codec.decode(v);
                    check += e.getTsMs();
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (round >= 0) {
                    Rate r = new Rate(side, records, seconds);
                    out.add(r);
                    progress.accept(
                            String.format(
                                    "round %d: %s: %,.0f records/s",
                                    round + 1, side, r.perSecond()));
                }
            }
        }
        if (check == 0) {
            throw new IllegalStateException("nothing decoded"); // keeps the loop's work alive
        }
        return out;
    }

    /** Avro as its documentation shows it: a datum reader and a reused binary decoder. */
    private static final class AvroDefaults {
        private final SpecificDatumReader<RequestEvent> reader;
        private BinaryDecoder decoder;

        AvroDefaults() {
            AvroTrust.install();
            reader = new SpecificDatumReader<>(RequestEvent.class);
        }

        RequestEvent decode(byte[] value) {
            decoder = DecoderFactory.get().binaryDecoder(value, decoder);
            try {
                RequestEvent e = reader.read(null, decoder);
                if (!decoder.isEnd()) {
                    throw new IllegalStateException("trailing bytes");
                }
                return e;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
