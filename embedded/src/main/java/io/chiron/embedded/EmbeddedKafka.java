package io.chiron.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/**
 * A single-node Kafka (KRaft, combined broker and controller) running in this JVM, listening on
 * loopback only, with its logs in a temporary directory that {@link #close()} deletes.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final Path dir;
    private final int brokerPort;
    private final KafkaConfig config;
    private KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(
            Path dir,
            int brokerPort,
            KafkaConfig config,
            KafkaRaftServer server,
            Secure secure,
            int securePort) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.config = config;
        this.server = server;
        this.secure = secure;
        this.securePort = securePort;
    }

    /**
     * Stops the broker, keeping its logs: clients see connections refused on its port until {@link
     * #restart()} (a broker outage, for fault campaigns).
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the stopped broker again on the same port, with the same logs. */
    public synchronized void restart() {
        if (server == null && !closed) {
            server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
        }
    }

    /**
     * A client listener with TLS and SASL/SCRAM-SHA-512 beside the plaintext one (which the broker
     * keeps for itself): the PKCS12 key store of the broker's certificate and one SCRAM user.
     */
    public record Secure(Path keyStore, String keyStorePassword, String user, String password) {}

    private final Secure secure;
    private final int securePort;

    /** The SASL_SSL listener's address, when started with {@link #startSecure}. */
    public String secureBootstrapServers() {
        if (secure == null) {
            throw new IllegalStateException("this broker has no SASL_SSL listener");
        }
        return LOOPBACK + ":" + securePort;
    }

    /** Starts a broker with {@code defaultPartitions} partitions for topics it auto-creates. */
    public static EmbeddedKafka start(int defaultPartitions) throws Exception {
        return start(defaultPartitions, null);
    }

    /** Starts a broker with a SASL_SSL client listener besides the plaintext one. */
    public static EmbeddedKafka startSecure(int defaultPartitions, Secure secure) throws Exception {
        return start(defaultPartitions, secure);
    }

    private static EmbeddedKafka start(int defaultPartitions, Secure secure) throws Exception {
        Path dir = RunDirectory.create("kafka-");
        try {
            int[] ports = freePorts(secure == null ? 2 : 3);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            int securePort = secure == null ? 0 : ports[2];
            Properties props = properties(dir, brokerPort, controllerPort, defaultPartitions);
            if (secure != null) {
                addSecureListener(props, securePort, secure);
            }
            KafkaConfig config = KafkaConfig.fromProps(props, false);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(List.of(dir.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setScramArguments(
                            secure == null
                                    ? List.of()
                                    : List.of(
                                            "SCRAM-SHA-512=[name="
                                                    + secure.user()
                                                    + ",password="
                                                    + secure.password()
                                                    + "]"))
                    .run();
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(dir, brokerPort, config, server, secure, securePort);
        } catch (Exception e) {
            FileUtils.deleteQuietly(dir.toFile());
            throw e;
        }
    }

    private static Properties properties(
            Path dir, int brokerPort, int controllerPort, int defaultPartitions) {
        Properties p = new Properties();
        String plaintext = "PLAINTEXT://" + LOOPBACK + ":" + brokerPort;
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + LOOPBACK + ":" + controllerPort);
        p.put("listeners", plaintext + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort);
        p.put("advertised.listeners", plaintext);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", Integer.toString(defaultPartitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("transaction.max.timeout.ms", Long.toString(3_600_000L));
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A laptop, not a data centre: few threads, small segments.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("background.threads", "2");
        p.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        // Replays carry their trace's timestamps (years old): time-based retention would delete
        // them within the first check. This broker's data lives only as long as its temp dir.
        p.put("log.retention.ms", "-1");
        return p;
    }

    /** Adds the SASL_SSL client listener to what {@link #properties} set. */
    private static void addSecureListener(Properties p, int securePort, Secure secure) {
        String listener = "SASL_SSL://" + LOOPBACK + ":" + securePort;
        p.put("listeners", p.getProperty("listeners") + "," + listener);
        p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + listener);
        p.put(
                "listener.security.protocol.map",
                p.getProperty("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.sasl_ssl.ssl.keystore.location", secure.keyStore().toString());
        p.put("listener.name.sasl_ssl.ssl.keystore.password", secure.keyStorePassword());
        p.put("listener.name.sasl_ssl.ssl.key.password", secure.keyStorePassword());
        p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    }

    /**
     * {@code n} distinct free ports. Every socket stays bound until all are chosen, so the OS
     * cannot hand the same port out twice (it did: a broker and its controller on one port fail to
     * start). Releasing them leaves a small race with other processes, acceptable on loopback.
     */
    static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

    /** Where the broker keeps its logs; deleted by {@link #close()}. */
    public Path logDir() {
        return dir;
    }

    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    /** Creates the topics (name to partitions) that do not exist yet, and waits for them. */
    public void createTopics(Map<String, Integer> partitionsByTopic)
            throws InterruptedException, ExecutionException {
        try (Admin admin = admin()) {
            Collection<NewTopic> topics = new ArrayList<>();
            partitionsByTopic.forEach(
                    (name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
            var futures = admin.createTopics(topics).values();
            for (var future : futures.values()) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        FileUtils.deleteQuietly(dir.toFile());
    }
}
