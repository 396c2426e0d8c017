package io.chiron.embedded;

import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one temporary directory of this process's embedded stack: the broker's logs, checkpoints,
 * savepoints and Flink's own temporary files (the extracted RPC jar, the MiniCluster's working
 * directories) all live under {@code chiron-run-<pid>-<process start>}. {@code close()} of the
 * stack deletes it; a run killed with SIGKILL cannot, so the next start deletes every such
 * directory whose process is gone.
 */
public final class RunDirectory {
    private static final Pattern NAME = Pattern.compile("chiron-run-(\\d+)-(\\d+)");

    private static Path current;
    private static int users;

    private RunDirectory() {}

    /** This process's run directory, created (after sweeping dead runs' ones) on first use. */
    public static synchronized Path get() {
        if (current == null || !Files.isDirectory(current)) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            sweep(tmp);
            ProcessHandle self = ProcessHandle.current();
            current = tmp.resolve("chiron-run-" + self.pid() + "-" + startMillis(self).orElse(0L));
            try {
                Files.createDirectories(current);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + current, e);
            }
        }
        return current;
    }

    /** A new subdirectory of the run directory. */
    public static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(get(), prefix);
    }

    /** A stack starts using the run directory. */
    public static synchronized void acquire() {
        get();
        users++;
    }

    /** A stack is done with it; the last one deletes it. */
    public static synchronized void release() {
        if (users > 0 && --users == 0 && current != null) {
            FileUtils.deleteQuietly(current.toFile());
            current = null;
        }
    }

    /**
     * Deletes the run directories under {@code tmp} whose process no longer runs (or whose pid now
     * belongs to a process started at another time).
     *
     * @return how many were deleted
     */
    static int sweep(Path tmp) {
        int deleted = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, "chiron-run-*")) {
            for (Path dir : dirs) {
                Matcher m = NAME.matcher(dir.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)))) {
                    FileUtils.deleteQuietly(dir.toFile());
                    deleted++;
                }
            }
        } catch (IOException e) {
            // An unreadable temp directory: nothing to sweep, and the run can go on.
        }
        return deleted;
    }

    private static boolean alive(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(p -> startMillis(p).map(s -> s == startMillis).orElse(true))
                .orElse(false);
    }

    private static Optional<Long> startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }
}
