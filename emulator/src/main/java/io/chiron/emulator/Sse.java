package io.chiron.emulator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Server-sent events as vLLM's OpenAI server writes them: {@code data: <json>}, a blank line. */
final class Sse {
    static final String DONE = "data: [DONE]\n\n";

    private Sse() {}

    static Buffer event(JsonObject data) {
        return Buffer.buffer("data: " + data.encode() + "\n\n");
    }
}
