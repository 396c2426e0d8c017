package io.chiron.policy.signals;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Helpers for the compact binary form of the window accumulators, which the Flink job keeps in
 * state (through a serializer of its own, not Kryo) and checkpoints. Latency sketches write
 * themselves: {@link LatencySketch#writeTo}.
 */
final class Binary {
    private Binary() {}

    /**
     * A string as its UTF-8 length and bytes, or -1 for null. Not {@link DataOutput#writeUTF},
     * which fails on a string of more than 64 KB: the job validates lengths where records enter,
     * and state must not be where a missed bound becomes an exception.
     */
    static void writeString(DataOutput out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void writeInts(DataOutput out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    static int[] readInts(DataInput in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    static void writeLongs(DataOutput out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long v : a) {
            out.writeLong(v);
        }
    }

    static long[] readLongs(DataInput in) throws IOException {
        long[] a = new long[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    static void checkVersion(DataInput in, int expected, String what) throws IOException {
        int version = in.readByte();
        if (version != expected) {
            throw new IOException(
                    what + " state of format " + version + ", this build reads " + expected);
        }
    }
}
