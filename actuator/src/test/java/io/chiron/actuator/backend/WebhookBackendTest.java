package io.chiron.actuator.backend;

import io.chiron.records.InstanceRole;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against a real HTTP server on loopback that fails, delays and succeeds, as told. */
class WebhookBackendTest {
    private HttpServer server;
    private final ArrayDeque<Integer> statuses = new ArrayDeque<>();
    private final List<Map<String, Object>> bodies =
            Collections.synchronizedList(new ArrayList<>());
    private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
    private final List<String> auths = Collections.synchronizedList(new ArrayList<>());
    private final List<String> signatures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> timestamps = Collections.synchronizedList(new ArrayList<>());
    private final List<String> raw = Collections.synchronizedList(new ArrayList<>());
    private final List<Duration> slept = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/commands", handler);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    private final HttpHandler handler =
            exchange -> {
                keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                auths.add(exchange.getRequestHeaders().getFirst("Authorization"));
                signatures.add(
                        exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER));
                timestamps.add(
                        exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER));
                String text =
                        new String(
                                exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                raw.add(text);
                bodies.add(new ObjectMapper().readValue(text, Map.class));
                if (hang) {
                    try {
                        release.await(10, TimeUnit.SECONDS); // longer than the client's timeout
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                int status;
                synchronized (statuses) {
                    status = statuses.isEmpty() ? 200 : statuses.poll();
                }
                byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            };

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private WebhookTarget target() {
        WebhookTarget t = new WebhookTarget();
        t.url = "http://127.0.0.1:" + server.getAddress().getPort() + "/commands";
        t.attempts = 4;
        t.backoff = Duration.ofMillis(100);
        t.maxBackoff = Duration.ofMillis(250);
        t.requestTimeout = Duration.ofMillis(500);
        return t;
    }

    private WebhookBackend backend(WebhookTarget t) {
        return new WebhookBackend(t, slept::add);
    }

    @Test
    void postsTheCommandAsJsonWithItsIdempotencyKeyAndCredential(@TempDir Path dir)
            throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, "Bearer s3cret\n");
        WebhookTarget t = target();
        t.authFile = secret.toString();
        assertThat(backend(t).apply(Commands.batchSize("cmd-1", "i-7", 48)))
                .contains("HTTP 200 after 1 attempt");
        assertThat(keys).containsExactly("cmd-1");
        assertThat(auths).containsExactly("Bearer s3cret");
        assertThat(bodies.get(0))
                .containsEntry("type", "SET_BATCH_SIZE")
                .containsEntry("instance_id", "i-7")
                .containsEntry("value", 48);
    }

    @Test
    void signsTheBodySoAReceiverCanRejectAForgery(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("signing");
        Files.writeString(secret, "shared-secret\n");
        WebhookTarget t = target();
        t.signingSecretFile = secret.toString();
        backend(t).apply(Commands.batchSize("cmd-2", "i-3", 16));
        byte[] key = "shared-secret".getBytes(StandardCharsets.UTF_8);
        long ts = Long.parseLong(timestamps.get(0));
        // The receiver's check: the HMAC of "<timestamp>.<body>" under the shared secret.
        assertThat(WebhookSignature.verify(key, ts, raw.get(0), signatures.get(0))).isTrue();
        assertThat(signatures.get(0)).startsWith("sha256=").hasSize(7 + 64);
        // A changed body, another timestamp or another secret do not verify.
        String forged = raw.get(0).replace("16", "160");
        assertThat(WebhookSignature.verify(key, ts, forged, signatures.get(0))).isFalse();
        assertThat(WebhookSignature.verify(key, ts + 1, raw.get(0), signatures.get(0))).isFalse();
        assertThat(
                        WebhookSignature.verify(
                                "other".getBytes(StandardCharsets.UTF_8),
                                ts,
                                raw.get(0),
                                signatures.get(0)))
                .isFalse();
    }

    @Test
    void sendsNoSignatureWithoutASecret() throws Exception {
        backend(target()).apply(Commands.batchSize("cmd-3", "i-3", 16));
        assertThat(signatures).containsExactly((String) null);
    }

    @Test
    void retriesServerErrorsWithGrowingJitteredBackoff() throws Exception {
        statuses.add(503);
        statuses.add(500);
        statuses.add(429);
        assertThat(backend(target()).apply(Commands.replicas("cmd-2", InstanceRole.BATCH, 3)))
                .contains("after 4 attempts");
        // Every attempt carried the same key: a receiver can apply it once.
        assertThat(keys).containsExactly("cmd-2", "cmd-2", "cmd-2", "cmd-2");
        // Full jitter under a cap doubling from 100 ms to at most 250 ms.
        assertThat(slept).hasSize(3);
        assertThat(slept.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(slept.get(1)).isLessThanOrEqualTo(Duration.ofMillis(200));
        assertThat(slept.get(2)).isLessThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void doesNotRetryAClientError() {
        statuses.add(400);
        assertThatThrownBy(
                        () ->
                                backend(target())
                                        .apply(Commands.replicas("cmd-3", InstanceRole.BATCH, 3)))
                .hasMessageContaining("HTTP 400")
                .hasMessageContaining("not retried");
        assertThat(keys).hasSize(1);
    }

    @Test
    void givesUpAfterItsAttemptsWhenTheServerHangs() {
        hang = true;
        WebhookTarget t = target();
        t.attempts = 2;
        assertThatThrownBy(
                        () -> backend(t).apply(Commands.replicas("cmd-4", InstanceRole.BATCH, 3)))
                .hasMessageContaining("2 attempts failed")
                .hasMessageContaining("HttpTimeoutException");
    }

    @Test
    void neverPutsTheCredentialInAnError(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, "Bearer s3cret");
        statuses.add(403);
        WebhookTarget t = target();
        t.authFile = secret.toString();
        assertThatThrownBy(
                        () -> backend(t).apply(Commands.replicas("cmd-5", InstanceRole.BATCH, 3)))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret"));
    }

    @Test
    void speaksTlsToAServerSignedByTheGivenAuthority(@TempDir Path dir) throws Exception {
        // A self-signed certificate for 127.0.0.1, made with the JDK's keytool.
        Path keystore = dir.resolve("server.p12");
        Path ca = dir.resolve("ca.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "webhook",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "webhook",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "changeit",
                "-file",
                ca.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory identity = KeyManagerFactory.getInstance("SunX509");
        identity.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(identity.getKeyManagers(), null, null);
        HttpsServer https =
                HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/commands", handler);
        https.start();
        try {
            WebhookTarget t = target();
            t.url = "https://127.0.0.1:" + https.getAddress().getPort() + "/commands";
            t.attempts = 1;
            // Not in the JVM's trust store: refused.
            assertThatThrownBy(() -> backend(t).apply(Commands.batchSize("cmd-6", "i-1", 8)))
                    .hasMessageContaining("SSLHandshakeException");
            assertThat(keys).isEmpty();
            // Trusted through the CA file: delivered.
            t.caFile = ca.toString();
            assertThat(backend(t).apply(Commands.batchSize("cmd-6", "i-1", 8)))
                    .contains("HTTP 200");
            assertThat(keys).containsExactly("cmd-6");
        } finally {
            https.stop(0);
        }
    }

    @Test
    void namesAnUnreadableCaFile(@TempDir Path dir) throws Exception {
        Path notPem = dir.resolve("ca.pem");
        Files.writeString(notPem, "not a certificate");
        WebhookTarget t = target();
        t.caFile = notPem.toString();
        assertThatThrownBy(() -> backend(t))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("webhook CA file " + notPem);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
    }
}
