package io.chiron.emulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One completion's JSON, chat or text, streamed (chunks) or whole, in the shapes vLLM's OpenAI
 * server sends. Token {@code i}'s text is {@code " t<i>"}, so a client can check order and count.
 */
record Completion(String id, boolean chat, String model, long created, int prompt, int output) {

    static String tokenText(int i) {
        return " t" + i;
    }

    private JsonObject envelope(String object) {
        return new JsonObject()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model);
    }

    private String chunkObject() {
        return chat ? "chat.completion.chunk" : "text_completion";
    }

    /** A chat stream's first chunk: the assistant's role, no content yet. */
    JsonObject roleChunk() {
        JsonObject choice =
                new JsonObject()
                        .put("index", 0)
                        .put("delta", new JsonObject().put("role", "assistant").put("content", ""))
                        .putNull("logprobs")
                        .putNull("finish_reason");
        return envelope(chunkObject()).put("choices", new JsonArray().add(choice));
    }

    JsonObject tokenChunk(int i) {
        JsonObject choice = new JsonObject().put("index", 0);
        if (chat) {
            choice.put("delta", new JsonObject().put("content", tokenText(i)));
        } else {
            choice.put("text", tokenText(i));
        }
        choice.putNull("logprobs");
        if (i == output - 1) {
            choice.put("finish_reason", "length");
        } else {
            choice.putNull("finish_reason");
        }
        if (!chat) {
            choice.putNull("stop_reason");
        }
        return envelope(chunkObject()).put("choices", new JsonArray().add(choice));
    }

    JsonObject usage() {
        return new JsonObject()
                .put("prompt_tokens", prompt)
                .put("total_tokens", prompt + output)
                .put("completion_tokens", output);
    }

    /** The last chunk of a stream that asked for usage: no choices, the counts. */
    JsonObject usageChunk() {
        return envelope(chunkObject()).put("choices", new JsonArray()).put("usage", usage());
    }

    /** The non-streamed response. */
    JsonObject whole() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < output; i++) {
            text.append(tokenText(i));
        }
        JsonObject choice = new JsonObject().put("index", 0);
        if (chat) {
            choice.put(
                    "message",
                    new JsonObject().put("role", "assistant").put("content", text.toString()));
        } else {
            choice.put("text", text.toString());
        }
        choice.putNull("logprobs").put("finish_reason", "length");
        return envelope(chat ? "chat.completion" : "text_completion")
                .put("choices", new JsonArray().add(choice))
                .put("usage", usage());
    }
}
