package io.chiron.gateway;

import io.chiron.records.InstanceRole;

import java.net.URI;
import java.util.Locale;

/**
 * A serving instance the gateway may route to: its id (the instance id of its telemetry), base URL
 * and role, and vLLM's {@code --max-num-seqs} it runs with (the admission cap never exceeds it).
 */
public record BackendSpec(String id, URI url, InstanceRole role, int maxNumSeqs) {

    /**
     * Parses {@code [role@]URL}: {@code http://10.0.0.7:8000} or {@code
     * interactive@http://10.0.0.7:8000}; the role defaults to MIXED, the id is host:port.
     */
    public static BackendSpec parse(String text, int maxNumSeqs) {
        String s = text.strip();
        InstanceRole role = InstanceRole.MIXED;
        int at = s.indexOf('@');
        if (at > 0 && !s.substring(0, at).contains("/")) {
            String r = s.substring(0, at).toUpperCase(Locale.ROOT);
            try {
                role = InstanceRole.valueOf(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--backends: '"
                                + text
                                + "' has the role '"
                                + s.substring(0, at)
                                + "'; allowed: interactive, mixed, batch");
            }
            s = s.substring(at + 1);
        }
        URI url;
        try {
            url = URI.create(s);
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null
                || !"http".equals(url.getScheme())
                || url.getHost() == null
                || url.getPort() < 1) {
            throw new IllegalArgumentException(
                    "--backends: '"
                            + text
                            + "' is not [role@]http://HOST:PORT (for example"
                            + " interactive@http://10.0.0.7:8000)");
        }
        return new BackendSpec(url.getHost() + ":" + url.getPort(), url, role, maxNumSeqs);
    }
}
