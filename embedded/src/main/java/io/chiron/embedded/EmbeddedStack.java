package io.chiron.embedded;

import org.apache.flink.configuration.Configuration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * Kafka and Flink on one machine, no services: an in-process KRaft broker and a MiniCluster, both
 * on loopback. Used by {@code chiron demo} and by the integration tests. {@link #close()} stops
 * both and deletes their files; a JVM shutdown hook does the same on Ctrl-C.
 */
public final class EmbeddedStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final EmbeddedKafka kafka;
    private final EmbeddedFlink flink;
    private final Thread shutdownHook;
    private final Duration startup;
    private boolean closed;

    private EmbeddedStack(EmbeddedKafka kafka, EmbeddedFlink flink, Duration startup) {
        this.kafka = kafka;
        this.flink = flink;
        this.startup = startup;
        this.shutdownHook = new Thread(this::closeQuietly, "chiron-embedded-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the broker and the MiniCluster and creates the topics.
     *
     * @param slots task slots of the MiniCluster (the most parallelism a job can use)
     * @param topics topic name to partition count
     */
    public static EmbeddedStack start(int slots, Map<String, Integer> topics) throws Exception {
        return start(slots, topics, new Configuration());
    }

    /**
     * @param flinkConfig settings of the MiniCluster on top of the embedded ones
     */
    public static EmbeddedStack start(
            int slots, Map<String, Integer> topics, Configuration flinkConfig) throws Exception {
        long t0 = System.nanoTime();
        RunDirectory.acquire();
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(slots);
        } catch (Exception e) {
            RunDirectory.release();
            throw e;
        }
        EmbeddedFlink flink = null;
        try {
            kafka.createTopics(topics);
            flink = EmbeddedFlink.start(slots, flinkConfig);
        } catch (Exception e) {
            kafka.close();
            RunDirectory.release();
            throw e;
        }
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        LOG.info(
                "embedded stack up in {} ms: kafka {}, flink {} slots",
                startup.toMillis(),
                kafka.bootstrapServers(),
                slots);
        return new EmbeddedStack(kafka, flink, startup);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedFlink flink() {
        return flink;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public Duration startupTime() {
        return startup;
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself: the JVM is already on its way out.
        }
        try {
            flink.close();
        } finally {
            kafka.close();
            RunDirectory.release();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            LOG.warn("embedded stack did not stop cleanly", e);
        }
    }
}
