package io.chiron.gateway;

import io.chiron.emulator.Emulator;
import io.chiron.records.InstanceRole;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue's bounds and scale from zero: a full queue answers 429, a request no instance took in
 * time 503, both with Retry-After; a request for a pool without instances waits until one starts.
 */
class GatewayLimitsITCase {
    private final HttpClient http = HttpClient.newHttpClient();

    private CompletableFuture<HttpResponse<String>> send(Gateway g) {
        return http.sendAsync(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + g.port() + "/v1/completions"))
                        .header("content-type", "application/json")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"prompt\":\"a b\",\"max_tokens\":2}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFullQueueIs429AWaitTooLong503AndAPoolFromZeroIsServedOnceAnInstanceStarts()
            throws Exception {
        int control = Await.freePort();
        Emulator.Options o = Emulator.Options.defaults().withColdStart(Duration.ofMillis(300));
        // No instance at all: the pool is at zero.
        try (Emulator e = Emulator.start(o, List.of(), Await.freePort(), control, s -> {})) {
            URI list = URI.create("http://127.0.0.1:" + control + "/instances");
            GatewayConfig tight =
                    GatewayConfig.defaults()
                            .with("127.0.0.1", 0, List.of(), list, null)
                            .withQueue(2, Duration.ofSeconds(1));
            try (Gateway g = Gateway.start(tight, s -> {})) {
                var first = send(g);
                var second = send(g);
                Await.until(() -> g.stats().arrived.get() == 2, "two queued");
                HttpResponse<String> third = send(g).get(10, TimeUnit.SECONDS);
                assertThat(third.statusCode()).isEqualTo(429);
                assertThat(third.headers().firstValue("retry-after")).contains("1");
                // Nothing takes the two within --max-wait (1 s): 503, retry in 5 s.
                for (var r : List.of(first, second)) {
                    HttpResponse<String> answer = r.get(10, TimeUnit.SECONDS);
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.headers().firstValue("retry-after")).contains("5");
                    assertThat(answer.body()).contains("no instance took it within 1 s");
                }
                assertThat(g.stats().expired.get()).isEqualTo(2);
                assertThat(g.stats().rejected.get()).isEqualTo(1);
            }
            GatewayConfig patient =
                    GatewayConfig.defaults().with("127.0.0.1", 0, List.of(), list, null);
            try (Gateway g = Gateway.start(patient, s -> {})) {
                var waiting = send(g);
                Await.until(() -> g.stats().arrived.get() == 1, "queued");
                assertThat(waiting).isNotDone();
                // What the actuator would do: the first instance of the pool.
                e.scale(InstanceRole.MIXED, 1);
                HttpResponse<String> served = waiting.get(30, TimeUnit.SECONDS);
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.body()).contains("\" t0 t1\"");
            }
        }
    }

    @Test
    void hostileRequestsGetAClearAnswerAndNothingElse() throws Exception {
        GatewayConfig c = GatewayConfig.defaults().with("127.0.0.1", 0, List.of(), null, null);
        try (Gateway g = Gateway.start(c, s -> {})) {
            // A body declared over the bound: 413 before a byte of it is read, and the connection
            // closed (raw socket: the client sends the headers only).
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", g.port())) {
                socket.getOutputStream()
                        .write(
                                ("POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                + "Content-Length: "
                                                + (Gateway.MAX_BODY_BYTES + 1)
                                                + "\r\n\r\n")
                                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String status =
                        new java.io.BufferedReader(
                                        new java.io.InputStreamReader(
                                                socket.getInputStream(),
                                                java.nio.charset.StandardCharsets.US_ASCII))
                                .readLine();
                assertThat(status).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
            }
            assertThat(
                            post(
                                            g,
                                            "{\"model\":\""
                                                    + "m".repeat(300)
                                                    + "\",\"prompt\":\"a\"}",
                                            null)
                                    .statusCode())
                    .isEqualTo(400);
            assertThat(post(g, "{\"model\":7,\"prompt\":\"a\"}", null).statusCode()).isEqualTo(400);
            assertThat(post(g, "[1,2]", null).statusCode()).isEqualTo(400);
            HttpResponse<String> cls = post(g, "{\"prompt\":\"a\"}", "chef");
            assertThat(cls.statusCode()).isEqualTo(400);
            assertThat(cls.body()).contains("x-chiron-class: 'chef' is not interactive or batch");
            // None of them reached the queue.
            assertThat(g.stats().arrived.get()).isZero();
        }
    }

    private HttpResponse<String> post(Gateway g, String body, String cls) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + g.port() + "/v1/completions"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cls != null) {
            b.header("x-chiron-class", cls);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
