package io.chiron.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunDirectoryTest {

    @Test
    void sweepsTheDirectoriesOfRunsWhoseProcessIsGoneAndNoOther(@TempDir Path tmp)
            throws Exception {
        // A process that has exited: its pid names a run killed with SIGKILL.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = tmp.resolve("chiron-run-" + gone.pid() + "-1700000000000");
        Files.createDirectories(dead.resolve("kafka-1/log"));
        Files.writeString(dead.resolve("kafka-1/log/segment"), "x");
        // This process, with its real start time: alive, kept.
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().orElseThrow().toEpochMilli();
        Path live = tmp.resolve("chiron-run-" + self.pid() + "-" + start);
        Files.createDirectories(live);
        // This pid with another start time: the pid was reused, the run is gone.
        Path reused = tmp.resolve("chiron-run-" + self.pid() + "-" + (start - 60_000));
        Files.createDirectories(reused);
        Path unrelated = Files.createDirectories(tmp.resolve("chiron-kafka-123"));

        assertThat(RunDirectory.sweep(tmp)).isEqualTo(2);
        assertThat(dead).doesNotExist();
        assertThat(reused).doesNotExist();
        assertThat(live).exists();
        assertThat(unrelated).exists();
    }
}
