package io.chiron.app;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged command with its shipped logging configuration, as a user runs it: normal output has
 * no WARN line, no ERROR and no stack trace (issue 19).
 */
class QuietOutputITCase {

    private static String run(Path stderr, String... args) throws Exception {
        Path jar = Path.of("target", "chiron.jar");
        assertThat(jar).as("the packaged jar (the integration tests run after package)").exists();
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("chiron-out-", ".txt");
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
        assertThat(p.exitValue()).as(Files.readString(stderr)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    @Test
    void sqlOverTheEmbeddedStackPrintsItsTableAndNothingAlarming() throws Exception {
        Path stderr = Files.createTempFile("chiron-err-", ".txt");
        String out =
                run(
                        stderr,
                        "sql",
                        "--embedded",
                        "--demo-minutes",
                        "1",
                        "-f",
                        Path.of("..", "sql", "decisions-last-hour.sql").toString());
        assertThat(out).contains("|"); // a result table
        assertThat(Files.readString(stderr))
                .doesNotContain("WARN")
                .doesNotContain("ERROR")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }
}
