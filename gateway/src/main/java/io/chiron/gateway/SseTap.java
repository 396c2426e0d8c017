package io.chiron.gateway;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent event stream, as it arrives in chunks of any size, into whole events (up to
 * and including the blank line that ends each), so the gateway can time each token and read the
 * usage chunk while passing every event on as soon as it is complete. An event larger than the
 * bound fails the stream rather than the gateway's memory.
 */
final class SseTap {
    static final int MAX_EVENT_BYTES = 1 << 20;

    private final Consumer<String> events;
    private final StringBuilder pending = new StringBuilder();
    private int scanned;

    SseTap(Consumer<String> events) {
        this.events = events;
    }

    void feed(Buffer chunk) {
        pending.append(chunk.toString(StandardCharsets.UTF_8));
        int searchFrom = Math.max(0, scanned - 1); // a "\n\n" may straddle two chunks
        int from = 0;
        int end;
        while ((end = pending.indexOf("\n\n", searchFrom)) >= 0) {
            events.accept(pending.substring(from, end + 2));
            from = end + 2;
            searchFrom = from;
        }
        pending.delete(0, from);
        scanned = pending.length();
        if (scanned > MAX_EVENT_BYTES) {
            throw new IllegalStateException(
                    "a server-sent event over " + MAX_EVENT_BYTES + " bytes from the backend");
        }
    }

    /** What is left without its blank line (the stream ended mid-event). */
    String rest() {
        return pending.toString();
    }

    /** The JSON of a {@code data:} event, or null for other events and {@code [DONE]}. */
    static String data(String event) {
        StringBuilder data = new StringBuilder();
        for (String line : event.split("\n")) {
            if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(5).strip());
            }
        }
        String d = data.toString();
        return d.isEmpty() || d.equals("[DONE]") ? null : d;
    }
}
