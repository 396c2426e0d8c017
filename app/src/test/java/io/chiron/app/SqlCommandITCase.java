package io.chiron.app;

import io.chiron.embedded.EmbeddedKafka;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chiron sql} as a user runs it: a shell on stdin and a file, on a real broker. */
class SqlCommandITCase {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(1);
        assertThat(
                        Main.commandLine()
                                .execute(
                                        "topics",
                                        "--bootstrap-servers",
                                        kafka.bootstrapServers(),
                                        "--partitions",
                                        "1"))
                .isZero();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private record Run(int rc, String out, String err) {}

    private static Run run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int rc = Main.commandLine().execute(args);
            return new Run(
                    rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void theShellRunsStatementsOverSeveralLinesUntilQuit() {
        Run r =
                run(
                        "SHOW TABLES;\nSELECT COUNT(*) AS decisions\n  FROM decisions;\nquit;\n"
                                + "SELECT 'never reached';\n",
                        "sql",
                        "--bootstrap-servers",
                        kafka.bootstrapServers());
        assertThat(r.rc()).isZero();
        assertThat(r.out())
                .contains("instance_signals", "dead_letters", "instance_windows")
                .containsPattern("\\| +decisions \\|\\n\\+-+\\+\\n\\| +0 \\|")
                .contains("1 row in set")
                .doesNotContain("never reached");
    }

    @Test
    void aFileStopsAtItsFirstFailingStatementAndSaysWhy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.sql");
        Files.writeString(
                file, "SELECT COUNT(*) FROM heartbeats;\nSELECT no_such_column FROM decisions;\n");
        Run r =
                run(
                        "",
                        "sql",
                        "--bootstrap-servers",
                        kafka.bootstrapServers(),
                        "-f",
                        file.toString());
        assertThat(r.rc()).isEqualTo(1);
        assertThat(r.out()).contains("1 row in set");
        assertThat(r.err()).contains("error:").contains("no_such_column");
    }

    @Test
    void aMissingFileIsNamed() {
        Run r = run("", "sql", "-f", "no/such.sql");
        assertThat(r.rc()).isEqualTo(2);
        assertThat(r.err()).contains("--file no/such.sql: no such file");
    }
}
