package io.chiron.app;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Progress of a long run: a bar with a status message on a terminal, a plain line every ten seconds
 * (and at the end) when the output goes to a file or a CI log.
 */
final class ConsoleProgress implements AutoCloseable {
    private final long total;
    private final ProgressBar bar;
    private final PrintStream lines;
    private long lastLineNanos;
    private boolean totalPrinted;

    ConsoleProgress(String task, long total, String unit, PrintStream lines) {
        this.total = total;
        this.lines = lines;
        this.bar =
                System.console() == null
                        ? null
                        : new ProgressBarBuilder()
                                .setTaskName(task)
                                .setInitialMax(total)
                                .setUnit(unit, 1)
                                .setStyle(ProgressBarStyle.ASCII)
                                .setUpdateIntervalMillis(250)
                                .hideEta()
                                .build();
    }

    void update(long done, String status) {
        if (bar != null) {
            bar.stepTo(Math.min(done, total));
            bar.setExtraMessage(" " + status);
        } else if (System.nanoTime() - lastLineNanos > 10_000_000_000L
                || (done >= total && !totalPrinted)) {
            // The line at the total once: work that goes on past it (a run draining its last
            // requests) is reported every ten seconds like the rest.
            totalPrinted |= done >= total;
            lastLineNanos = System.nanoTime();
            lines.printf("  %4d s  %s%n", done, status);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
