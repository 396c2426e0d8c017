package io.chiron.actuator.backend;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The webhook's body signature, so that a receiver can reject forged or replayed decisions: header
 * {@value #TIMESTAMP_HEADER} carries the send time (Unix seconds) and {@value #SIGNATURE_HEADER}
 * {@code sha256=<hex>}, the HMAC-SHA256 of {@code "<timestamp>.<body>"} under the shared secret. A
 * receiver recomputes it ({@link #verify}) and refuses a timestamp older than it tolerates.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Chiron-Signature";
    public static final String TIMESTAMP_HEADER = "X-Chiron-Timestamp";

    private WebhookSignature() {}

    /** The signature header's value for a body sent at {@code epochSeconds}. */
    public static String sign(byte[] secret, long epochSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest =
                    mac.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether the signature header matches the body and timestamp, compared in constant time. */
    public static boolean verify(byte[] secret, long epochSeconds, String body, String header) {
        if (header == null) {
            return false;
        }
        return MessageDigest.isEqual(
                sign(secret, epochSeconds, body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }
}
