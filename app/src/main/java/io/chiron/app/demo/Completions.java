package io.chiron.app.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One OpenAI completion request from a client of our own (the HTTP demo's load generator, the
 * gateway benchmark): each chunk of the answer is handed over as it arrives, so the caller can time
 * tokens; the future fails on a status other than 200 or a broken stream.
 */
public final class Completions {
    private Completions() {}

    public static Future<Void> post(
            HttpClient client,
            int port,
            Buffer body,
            Map<String, String> headers,
            Consumer<Buffer> onChunk) {
        RequestOptions o =
                new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/v1/completions")
                        .putHeader("content-type", "application/json");
        headers.forEach(o::putHeader);
        return client.request(o)
                .compose(req -> req.send(body))
                .compose(
                        resp -> {
                            if (resp.statusCode() != 200) {
                                return resp.body()
                                        .compose(
                                                b ->
                                                        Future.failedFuture(
                                                                "HTTP " + resp.statusCode()));
                            }
                            Promise<Void> end = Promise.promise();
                            resp.handler(onChunk::accept);
                            resp.endHandler(v -> end.tryComplete());
                            resp.exceptionHandler(end::tryFail);
                            return end.future();
                        });
    }
}
