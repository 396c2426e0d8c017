package io.chiron.actuator.backend;

import io.chiron.records.FleetCommand;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Posts each command as JSON to a webhook, with an {@code Idempotency-Key} (the command id) so a
 * receiver can drop a repeat, the credential from an environment variable or a mounted file (never
 * logged), TLS with the JVM's trust store or a given CA file, connect and request timeouts, and
 * retries with exponential backoff and full jitter on network errors, timeouts, 429 and 5xx. Other
 * 4xx answers fail at once: asking again would not help.
 */
public final class WebhookBackend implements CommandBackend {
    private final WebhookTarget target;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final String credential;
    private final byte[] signingSecret;
    private final Sleeper sleeper;

    /** How the backend waits between attempts; tests pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public WebhookBackend(WebhookTarget target) {
        this(target, d -> Thread.sleep(d.toMillis()));
    }

    public WebhookBackend(WebhookTarget target, Sleeper sleeper) {
        if (target.url == null) {
            throw new IllegalArgumentException("webhook backend without a url");
        }
        this.target = target;
        this.sleeper = sleeper;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(target.connectTimeout);
        if (target.caFile != null) {
            http.sslContext(trusting(Path.of(target.caFile)));
        }
        this.http = http.build();
        this.credential = secret(target.authFile, target.authEnv, "credential");
        String signing =
                secret(target.signingSecretFile, target.signingSecretEnv, "signing secret");
        this.signingSecret = signing == null ? null : signing.getBytes(StandardCharsets.UTF_8);
    }

    /** TLS that trusts the certificate authorities in a PEM file, and only those. */
    static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate cert :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, cert);
            }
            if (n == 0) {
                throw new IllegalArgumentException(
                        "the webhook CA file " + pem + " holds no PEM certificate");
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot read the webhook CA file " + pem + ": " + e.getMessage(), e);
        }
    }

    /** A secret from a file (first) or an environment variable, or null when neither is set. */
    private static String secret(String file, String env, String what) {
        if (file != null) {
            try {
                return Files.readString(Path.of(file)).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the webhook " + what + " file " + file, e);
            }
        }
        if (env != null) {
            String v = System.getenv(env);
            if (v == null) {
                throw new IllegalArgumentException(
                        "environment variable " + env + " (webhook " + what + ") is not set");
            }
            return v;
        }
        return null;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String apply(FleetCommand c) throws Exception {
        String body = json.writeValueAsString(body(c));
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(target.url))
                        .timeout(target.requestTimeout)
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", c.getCommandId())
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        if (credential != null) {
            request.header(target.authHeader, credential);
        }
        if (signingSecret != null) {
            long now = java.time.Instant.now().getEpochSecond();
            request.header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now));
            request.header(
                    WebhookSignature.SIGNATURE_HEADER,
                    WebhookSignature.sign(signingSecret, now, body));
        }
        HttpRequest r = request.build();
        String last = null;
        for (int attempt = 1; attempt <= target.attempts; attempt++) {
            try {
                HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return "HTTP "
                            + status
                            + " after "
                            + attempt
                            + " attempt"
                            + (attempt == 1 ? "" : "s");
                }
                last = "HTTP " + status;
                if (status != 429 && status < 500) {
                    throw new IllegalStateException(last + " from " + target.url + ": not retried");
                }
            } catch (IOException e) {
                last =
                        e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt < target.attempts) {
                sleeper.sleep(backoff(attempt));
            }
        }
        throw new IllegalStateException(
                target.attempts + " attempts failed, the last with " + last);
    }

    /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
    Duration backoff(int attempt) {
        long cap =
                Math.min(
                        target.maxBackoff.toMillis(),
                        target.backoff.toMillis() << Math.min(30, attempt - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }

    private static Map<String, Object> body(FleetCommand c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command_id", c.getCommandId());
        m.put("decision_id", c.getDecisionId());
        m.put("ts_ms", c.getTsMs());
        m.put("model", c.getModel());
        m.put("type", c.getType().name());
        m.put("instance_id", c.getInstanceId());
        m.put("role", c.getRole() == null ? null : c.getRole().name());
        m.put("value", c.getValue());
        return m;
    }

    @Override
    public void close() {
        // The JDK client holds no connections that outlive it.
    }
}
