package io.chiron.app;

import io.chiron.app.demo.Demo;
import io.chiron.app.demo.DemoOptions;
import io.chiron.kafka.KafkaClientProperties;
import io.chiron.kafka.KafkaReachability;
import io.chiron.sql.SqlScripts;
import io.chiron.sql.SqlSession;
import io.chiron.sql.TablePrinter;

import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.util.ExceptionUtils;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chiron sql}: Flink SQL over the topics, the DDL of {@code sql/ddl/} preloaded. */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Flink SQL over Chiron's topics, with the tables and views of sql/ddl/ loaded: an"
                    + " interactive shell (statements end with ';', 'quit;' leaves) or, with -f,"
                    + " the statements of a file. Results print as tables.",
            "Batch by default: each query reads the topics up to where they are when it starts."
                    + " With --embedded, against an in-process Kafka filled by a short demo run."
        })
final class SqlCommand implements Callable<Integer> {
    /** Reasons are sentences: columns up to this wide, longer values cut. */
    private static final int MAX_COLUMN_WIDTH = 72;

    @Option(
            names = {"-f", "--file"},
            description = "Run the statements of this file and exit (default: a shell on stdin).")
    Path file;

    @Option(
            names = "--embedded",
            description =
                    "Start Kafka and Flink in-process, run the demo for --demo-minutes, and query"
                            + " its topics.")
    boolean embedded;

    @Option(
            names = "--demo-minutes",
            defaultValue = "3",
            description =
                    "Simulated minutes of the demo that fills the embedded topics (default"
                            + " ${DEFAULT-VALUE}).")
    double demoMinutes;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka brokers (default ${DEFAULT-VALUE}; ignored with --embedded).")
    String bootstrapServers;

    @Option(
            names = "--kafka-properties",
            description =
                    "Kafka client settings for every table (security.protocol, sasl.*, ssl.*);"
                            + " $${VAR} in a value is read from the environment. Never printed.")
    Path kafkaProperties;

    @Option(
            names = "--streaming",
            description = "Unbounded tables: queries run on as records arrive, until interrupted.")
    boolean streaming;

    @Option(names = "--verbose", description = "Show Kafka's and Flink's own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        if (file != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--file " + file + ": no such file");
        }
        if (!(demoMinutes > 0) || demoMinutes > 60) {
            throw new IllegalArgumentException(
                    "--demo-minutes must be in (0, 60], was " + demoMinutes);
        }
        Map<String, String> clientProperties =
                kafkaProperties == null ? Map.of() : KafkaClientProperties.load(kafkaProperties);
        String script = file == null ? null : Files.readString(file);
        if (script != null && SqlScripts.split(script).isEmpty()) {
            throw new IllegalArgumentException("--file " + file + " holds no statement");
        }
        PrintStream console = System.out;
        if (!embedded) {
            KafkaReachability.check(
                    bootstrapServers,
                    "--bootstrap-servers",
                    clientProperties,
                    KafkaReachability.DEFAULT_TIMEOUT);
            return session(bootstrapServers, clientProperties, script, console);
        }
        console.printf(
                "Filling an embedded Kafka with %s simulated minutes of the demo...%n",
                demoMinutes);
        int[] rc = {0};
        DemoOptions options =
                DemoOptions.defaults()
                        .withSimulated(Duration.ofMillis((long) (demoMinutes * 60_000)));
        Demo.run(
                options,
                fleet -> {},
                bootstrap -> rc[0] = session(bootstrap, clientProperties, script, console));
        return rc[0];
    }

    private int session(
            String bootstrap, Map<String, String> clientProperties, String script, PrintStream out)
            throws Exception {
        try (SqlSession session = SqlSession.open(bootstrap, streaming, clientProperties)) {
            return session(session, script, out);
        }
    }

    private int session(SqlSession session, String script, PrintStream out) throws Exception {
        if (script != null) {
            for (String statement : SqlScripts.split(script)) {
                if (!execute(session, statement, streaming, out)) {
                    return 1;
                }
            }
            return 0;
        }
        out.printf(
                "Tables: %s; views: instance_windows, request_outcomes. End statements with ';',"
                        + " leave with 'quit;'.%n",
                String.join(", ", SqlSession.TABLES));
        BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder pending = new StringBuilder();
        out.print("chiron> ");
        out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            pending.append(line).append('\n');
            boolean complete = pending.toString().strip().endsWith(";");
            if (complete) {
                List<String> statements = SqlScripts.split(pending.toString());
                pending.setLength(0);
                for (String statement : statements) {
                    String word = statement.strip().toLowerCase();
                    if (word.equals("quit") || word.equals("exit")) {
                        return 0;
                    }
                    execute(session, statement, streaming, out);
                }
            }
            out.print(complete || pending.toString().isBlank() ? "chiron> " : "     -> ");
            out.flush();
        }
        return 0;
    }

    /** Runs one statement, printing its rows or "OK"; false (the error printed) if it failed. */
    private static boolean execute(
            SqlSession session, String statement, boolean streaming, PrintStream out) {
        try {
            TableResult result = session.tableEnvironment().executeSql(statement);
            if (result.getResultKind() != ResultKind.SUCCESS_WITH_CONTENT) {
                out.println("OK");
            } else if (streaming) {
                // Rows as they come, changes marked (+I, -U, +U, -D).
                result.print();
            } else {
                TablePrinter.print(result, out, MAX_COLUMN_WIDTH);
            }
            return true;
        } catch (Exception e) {
            Throwable root = ExceptionUtils.stripExecutionException(e);
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            System.err.println("error: " + firstLine(e.getMessage()));
            if (root != e) {
                System.err.println("cause: " + firstLine(root.getMessage()));
            }
            return false;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
