package io.chiron.emulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The emulator's tokenizer: one token per whitespace-separated word of the prompt (of every chat
 * message's text). Crude, and enough: what the engine needs is a length.
 */
final class Prompts {
    private Prompts() {}

    /** Tokens of a completion's {@code prompt}: a string or an array of strings. */
    static int completionTokens(JsonObject body) {
        Object prompt = body.getValue("prompt");
        if (prompt instanceof String s) {
            return words(s);
        }
        if (prompt instanceof JsonArray a) {
            int n = 0;
            for (Object o : a) {
                n += o instanceof String s ? words(s) : 1; // token ids count one each
            }
            return n;
        }
        return 0;
    }

    /** Tokens of a chat's {@code messages}: string contents or arrays of text parts. */
    static int chatTokens(JsonObject body) {
        JsonArray messages = body.getJsonArray("messages");
        if (messages == null) {
            return 0;
        }
        int n = 0;
        for (Object m : messages) {
            if (!(m instanceof JsonObject message)) {
                continue;
            }
            Object content = message.getValue("content");
            if (content instanceof String s) {
                n += words(s);
            } else if (content instanceof JsonArray parts) {
                for (Object p : parts) {
                    if (p instanceof JsonObject part && part.getValue("text") instanceof String s) {
                        n += words(s);
                    }
                }
            }
        }
        return n;
    }

    static int words(String s) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            boolean space = Character.isWhitespace(s.charAt(i));
            if (!space && !in) {
                n++;
            }
            in = !space;
        }
        return n;
    }
}
