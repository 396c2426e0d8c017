package io.chiron.records;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Tells Avro to trust the classes generated from our schemas.
 *
 * <p>Avro 1.12.2 refuses to instantiate any class outside its default allow-list, its own generated
 * classes included (a regression of AVRO-4189), unless the package is trusted through {@code
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES} or programmatically. Every reader we create calls {@link
 * #install()}, so a job on a Flink cluster works without extra JVM flags.
 */
public final class AvroTrust {
    private static final String PACKAGE = AvroTrust.class.getPackageName();
    private static volatile boolean installed;

    private AvroTrust() {}

    /** Trusts {@code io.chiron.records} in addition to whatever Avro already trusts. Idempotent. */
    public static void install() {
        if (installed) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!installed) {
                ClassSecurityValidator.ClassSecurityPredicate previous =
                        ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(
                        ClassSecurityValidator.composite(
                                type -> PACKAGE.equals(type.getPackageName()), previous));
                installed = true;
            }
        }
    }
}
