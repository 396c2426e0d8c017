package io.chiron.actuator.backend;

import java.io.Serializable;
import java.time.Duration;

/** Where and how the webhook backend posts commands. */
public final class WebhookTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    /** https://... (or http:// for a local gateway). */
    public String url = null;

    /** Header carrying the credential, e.g. Authorization. */
    public String authHeader = "Authorization";

    /** Environment variable holding the header's value (e.g. "Bearer ..."); never logged. */
    public String authEnv = null;

    /** File holding the header's value (a mounted secret); never logged. */
    public String authFile = null;

    /**
     * PEM file of the certificate authorities to trust for an https URL (a private CA); null: the
     * JVM's default trust store.
     */
    public String caFile = null;

    /**
     * Environment variable holding the secret the body is signed with ({@link WebhookSignature});
     * never logged. Null, with {@link #signingSecretFile} null too: unsigned.
     */
    public String signingSecretEnv = null;

    /** File holding the signing secret (a mounted secret); never logged. */
    public String signingSecretFile = null;

    public Duration connectTimeout = Duration.ofSeconds(5);
    public Duration requestTimeout = Duration.ofSeconds(10);

    /** Attempts per command, the first included. */
    public int attempts = 5;

    /** First backoff; doubles per retry, with full jitter, up to {@link #maxBackoff}. */
    public Duration backoff = Duration.ofMillis(200);

    public Duration maxBackoff = Duration.ofSeconds(10);
}
