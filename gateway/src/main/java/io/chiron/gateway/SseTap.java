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

    private static final String TEXT = "\"text\":\"";
    private static final String CONTENT = "\"content\":\"";

    /**
     * Whether a chunk's JSON carries a token: a non-empty {@code "text"} (completions) or {@code
     * "content"} (chat) string. A scan, not a parse: this runs for every token.
     */
    static boolean carriesToken(String json) {
        return nonEmptyString(json, TEXT) || nonEmptyString(json, CONTENT);
    }

    private static boolean nonEmptyString(String json, String key) {
        for (int k = json.indexOf(key); k >= 0; k = json.indexOf(key, k + 1)) {
            int v = k + key.length();
            if (v < json.length() && json.charAt(v) != '"') {
                return true;
            }
        }
        return false;
    }

    /** What is left without its blank line (the stream ended mid-event). */
    String rest() {
        return pending.toString();
    }

    /** The JSON of a {@code data:} event, or null for other events and {@code [DONE]}. */
    static String data(String event) {
        // The common case, one data line: no split.
        if (event.startsWith("data: ") && event.indexOf('\n') == event.length() - 2) {
            String d = event.substring(6, event.length() - 2).strip();
            return d.isEmpty() || d.equals("[DONE]") ? null : d;
        }
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
