package io.chiron.sql;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Flink SQL session over Chiron's topics: a {@link TableEnvironment} with the tables and views of
 * {@code sql/ddl/} loaded and pointed at the given brokers. In batch mode (the default) each table
 * reads its topic up to the offsets it has when the query starts, so a query ends with a result; in
 * streaming mode tables are unbounded and queries run until cancelled.
 */
public final class SqlSession implements AutoCloseable {
    /** The tables {@code 01-topics.sql} defines. */
    public static final List<String> TABLES =
            List.of(
                    "requests",
                    "heartbeats",
                    "instance_signals",
                    "pool_signals",
                    "decisions",
                    "commands",
                    "actuations",
                    "dead_letters");

    private final TableEnvironment env;
    private final MiniCluster cluster;

    private SqlSession(TableEnvironment env, MiniCluster cluster) {
        this.env = env;
        this.cluster = cluster;
    }

    /**
     * Stops the session's cluster. Each query runs on it as a job: a cluster per query (Flink's
     * local default) shuts down while the query's result fetcher still asks for its status, which
     * prints "MiniCluster is not yet running ... Some data might be lost" after correct results.
     */
    @Override
    public void close() throws Exception {
        cluster.close();
    }

    /**
     * Opens a session.
     *
     * @param kafkaProperties Kafka client properties for every table ({@code security.protocol},
     *     {@code sasl.*}, {@code ssl.*}, ...), given as {@code properties.<key>} table options
     */
    public static SqlSession open(
            String bootstrapServers, boolean streaming, Map<String, String> kafkaProperties) {
        Configuration conf = localConfiguration();
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(2)
                                .build());
        URI rest;
        try {
            cluster.start();
            rest = cluster.getRestAddress().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the SQL session's Flink cluster", e);
        }
        conf.set(DeploymentOptions.TARGET, "remote");
        conf.set(RestOptions.ADDRESS, rest.getHost());
        conf.set(RestOptions.PORT, rest.getPort());
        EnvironmentSettings.Builder builder = EnvironmentSettings.newInstance();
        EnvironmentSettings settings =
                (streaming ? builder.inStreamingMode() : builder.inBatchMode())
                        .withConfiguration(conf)
                        .build();
        TableEnvironment env = TableEnvironment.create(settings);
        // The tables first, pointed at the brokers (and bounded, in batch mode) before the views
        // are planned over them.
        run(env, SqlScripts.DDL.get(0));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("properties.bootstrap.servers", bootstrapServers);
        kafkaProperties.forEach((k, v) -> options.put("properties." + k, v));
        if (!streaming) {
            options.put("scan.bounded.mode", "latest-offset");
        }
        String set =
                options.entrySet().stream()
                        .map(e -> quote(e.getKey()) + " = " + quote(e.getValue()))
                        .collect(Collectors.joining(", "));
        for (String table : TABLES) {
            env.executeSql("ALTER TABLE " + table + " SET (" + set + ")");
        }
        for (String file : SqlScripts.DDL.subList(1, SqlScripts.DDL.size())) {
            run(env, file);
        }
        return new SqlSession(env, cluster);
    }

    private static void run(TableEnvironment env, String ddlFile) {
        for (String statement : SqlScripts.split(SqlScripts.ddl(ddlFile))) {
            env.executeSql(statement);
        }
    }

    private static Configuration localConfiguration() {
        Configuration conf = new Configuration();
        // Small results, one machine: one task slot's worth of parallelism plans and runs fast.
        conf.setString("parallelism.default", "1");
        conf.setString("table.exec.resource.default-parallelism", "1");
        conf.setString("rest.bind-address", "127.0.0.1");
        conf.setString("rest.bind-port", "0");
        conf.setString("rest.address", "127.0.0.1");
        conf.setString("taskmanager.host", "127.0.0.1");
        conf.setString("jobmanager.bind-host", "127.0.0.1");
        conf.setString("taskmanager.bind-host", "127.0.0.1");
        return conf;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    public TableEnvironment tableEnvironment() {
        return env;
    }

    /** Runs one statement and returns its rows (queries: all of them, so bounded ones only). */
    public List<Row> rows(String statement) throws Exception {
        TableResult result = env.executeSql(statement);
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
