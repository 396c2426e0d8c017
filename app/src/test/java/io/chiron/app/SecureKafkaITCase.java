package io.chiron.app;

import io.chiron.app.demo.TopicReader;
import io.chiron.embedded.EmbeddedFlink;
import io.chiron.embedded.EmbeddedKafka;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything Chiron runs against a broker whose client listener takes only TLS and SASL/SCRAM
 * (issue 18): {@code chiron topics}, the job, {@code chiron fleet} and {@code chiron sql}, each
 * given the same client properties file. The password and the trust store's password never appear
 * in any output or log line, INFO included (where Kafka's clients print their configuration).
 */
class SecureKafkaITCase {
    private static final String PASSWORD = "Sc4am-pa55-7f3c"; // the SCRAM user's
    private static final String STORE_PASSWORD = "st0re-pa55-91ab";

    /** Collects every log event's formatted message, whatever its logger. */
    private static final class Capture extends AbstractAppender {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        Capture() {
            super("capture", null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            lines.add(event.getMessage().getFormattedMessage());
            if (event.getThrown() != null) {
                lines.add(event.getThrown().toString());
            }
        }
    }

    @Test
    void topicsJobFleetAndSqlWorkOverSaslSslAndNoSecretIsEverPrinted(@TempDir Path dir)
            throws Exception {
        Path keyStore = dir.resolve("broker.p12");
        Path trustStore = dir.resolve("trust.p12");
        Path cert = dir.resolve("broker.pem");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                cert.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                cert.toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                STORE_PASSWORD);
        Path client = dir.resolve("client.properties");
        Files.writeString(
                client,
                String.join(
                        "\n",
                        "security.protocol=SASL_SSL",
                        "sasl.mechanism=SCRAM-SHA-512",
                        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                                + " required username=\"chiron\" password=\""
                                + PASSWORD
                                + "\";",
                        "ssl.truststore.location=" + trustStore,
                        "ssl.truststore.password=" + STORE_PASSWORD,
                        "ssl.truststore.type=PKCS12",
                        ""));

        Capture capture = new Capture();
        capture.start();
        LoggerContext logs = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = logs.getConfiguration().getRootLogger();
        Level before = root.getLevel();
        root.addAppender(capture, Level.INFO, null);
        root.setLevel(Level.INFO);
        logs.updateLoggers();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (EmbeddedKafka kafka =
                        EmbeddedKafka.startSecure(
                                1,
                                new EmbeddedKafka.Secure(
                                        keyStore, STORE_PASSWORD, "chiron", PASSWORD));
                EmbeddedFlink flink = EmbeddedFlink.start(2)) {
            String secure = kafka.secureBootstrapServers();
            String props = client.toString();
            assertThat(
                            Main.commandLine()
                                    .execute(
                                            "topics",
                                            "--bootstrap-servers",
                                            secure,
                                            "--kafka-properties",
                                            props))
                    .isZero();

            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, secure);
            conf.set(JobOptions.KAFKA_PROPERTIES_FILE, props);
            conf.set(JobOptions.IDLENESS, Duration.ZERO);
            conf.set(JobOptions.DRY_RUN, true);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            JobID job = flink.submit(env, "chiron-secure");

            // Four simulated minutes at 40 times real time.
            assertThat(
                            Main.commandLine()
                                    .execute(
                                            "fleet",
                                            "--bootstrap-servers",
                                            secure,
                                            "--kafka-properties",
                                            props,
                                            "--trace",
                                            "azure-conv",
                                            "--duration",
                                            "4min",
                                            "--speedup",
                                            "40"))
                    .isZero();
            // Read back through the broker's own plaintext listener: the check, not the system.
            TopicReader.awaitAny(
                    kafka.bootstrapServers(),
                    Topic.DECISIONS.defaultName(),
                    ScalingDecision.class,
                    Duration.ofMinutes(2));
            flink.cancel(job);

            assertThat(
                            Main.commandLine()
                                    .execute(
                                            "sql",
                                            "--bootstrap-servers",
                                            secure,
                                            "--kafka-properties",
                                            props,
                                            "-f",
                                            Path.of("..", "sql", "decisions-last-hour.sql")
                                                    .toString()))
                    .isZero();
        } finally {
            System.setOut(out);
            System.setErr(err);
            root.removeAppender("capture");
            root.setLevel(before);
            logs.updateLoggers();
        }
        String everything =
                printed.toString(StandardCharsets.UTF_8) + "\n" + String.join("\n", capture.lines);
        // The capture saw the clients' configuration dumps, where a secret would show...
        assertThat(everything).contains("sasl.jaas.config = [hidden]");
        assertThat(everything).contains("security.protocol = SASL_SSL");
        // ...and none shows.
        assertThat(everything).doesNotContain(PASSWORD).doesNotContain(STORE_PASSWORD);
        // The SQL query printed its table: it read the decisions over SASL_SSL.
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("|");
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
    }
}
