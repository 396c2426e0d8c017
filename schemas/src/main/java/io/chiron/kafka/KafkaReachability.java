package io.chiron.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the cluster for its brokers before a command starts its real work, so that a wrong address
 * is one line within seconds ("cannot reach Kafka at ... (--bootstrap-servers)") instead of a
 * client retrying for a minute and a stack trace.
 */
public final class KafkaReachability {
    /** How long a command waits for the first answer by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private KafkaReachability() {}

    /**
     * @param setting the flag or key the address came from, named in the error
     * @param client client properties (security) applied to the probe
     * @throws IllegalArgumentException when no broker answers within {@code timeout}
     */
    public static void check(
            String bootstrap, String setting, Map<String, String> client, Duration timeout) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int ms = (int) timeout.toMillis();
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "chiron-reachability");
        try (Admin admin = Admin.create(config)) {
            int brokers =
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(ms))
                            .nodes()
                            .get(ms, TimeUnit.MILLISECONDS)
                            .size();
            if (brokers == 0) {
                throw unreachable(bootstrap, setting, timeout, "the cluster has no broker");
            }
        } catch (TimeoutException e) {
            throw unreachable(bootstrap, setting, timeout, "no answer");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw unreachable(
                    bootstrap,
                    setting,
                    timeout,
                    cause.getClass().getSimpleName() + ": " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(bootstrap, setting, timeout, "interrupted");
        } catch (org.apache.kafka.common.KafkaException e) {
            // A bootstrap address that does not resolve or parse fails at Admin.create.
            throw unreachable(bootstrap, setting, timeout, e.getMessage());
        }
    }

    private static IllegalArgumentException unreachable(
            String bootstrap, String setting, Duration timeout, String why) {
        return new IllegalArgumentException(
                "cannot reach Kafka at "
                        + bootstrap
                        + " ("
                        + setting
                        + ") within "
                        + timeout.toSeconds()
                        + " s: "
                        + why);
    }
}
