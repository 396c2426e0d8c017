package io.chiron.app.report;

import io.chiron.fleet.run.Simulation;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** One CSV row per 5 s window of a policy's run. */
public final class TimeSeriesCsv {
    static final String HEADER =
            "seconds,running_interactive,running_mixed,running_batch,provisioning_interactive,"
                    + "provisioning_mixed,provisioning_batch,gpus,queue_interactive,queue_batch,"
                    + "mean_batch_cap,interactive_attainment,batch_attainment";

    private TimeSeriesCsv() {}

    public static Path write(Path dir, Simulation.Result r) throws IOException {
        Path file = dir.resolve("timeseries-" + r.policy() + ".csv");
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write(HEADER);
            w.write('\n');
            for (Simulation.Sample s : r.series()) {
                w.write(
                        String.format(
                                Locale.ROOT,
                                "%.0f,%d,%d,%d,%d,%d,%d,%.0f,%d,%d,%.1f,%s,%s%n",
                                s.seconds(),
                                s.running()[0],
                                s.running()[1],
                                s.running()[2],
                                s.provisioning()[0],
                                s.provisioning()[1],
                                s.provisioning()[2],
                                s.gpus(),
                                s.queuedInteractive(),
                                s.queuedBatch(),
                                s.meanBatchCap(),
                                fraction(s.interactiveAttainment()),
                                fraction(s.batchAttainment())));
            }
        }
        return file;
    }

    private static String fraction(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.5f", v);
    }
}
