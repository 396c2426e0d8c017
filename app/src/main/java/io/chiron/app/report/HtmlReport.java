package io.chiron.app.report;

import io.chiron.fleet.report.PolicyResult;
import io.chiron.fleet.run.Simulation;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.ToDoubleFunction;

/**
 * A self-contained HTML report: the results table, Chiron against each baseline, and charts drawn
 * by JFreeChart, embedded as PNG data so the file travels alone.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static Path write(Path dir, Evaluation e) throws IOException {
        System.setProperty("java.awt.headless", "true");
        StringBuilder html = new StringBuilder();
        html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Chiron evaluation: ")
                .append(escape(e.trace()))
                .append(" / ")
                .append(escape(e.scenario()))
                .append("</title><style>")
                .append(
                        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}")
                .append(
                        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append(
                        "th:first-child,td:first-child{text-align:left}img{max-width:100%}.chiron{font-weight:bold}")
                .append("</style></head><body>");
        html.append("<h1>Chiron evaluation</h1><p>Trace <b>")
                .append(escape(e.trace()))
                .append("</b>, scenario <b>")
                .append(escape(e.scenario()))
                .append("</b>, rate x")
                .append(e.rateMultiplier())
                .append(", seed ")
                .append(e.seed())
                .append(
                        String.format(
                                ", up to %.0f simulated seconds per policy (arrivals, then until the work is"
                                        + " done), %.1f s of wall time. True lower bound on GPU-hours"
                                        + " (every token at the cheapest cost the latency model"
                                        + " allows under its SLO, no queueing, no cold start,"
                                        + " perfect packing): <b>%.2f</b>. Attainment is met /"
                                        + " arrived.</p>",
                                e.simulatedSeconds(), e.wallSeconds(), e.lowerBoundGpuHours()));
        html.append(
                "<h2>Results</h2><table><tr><th>policy</th><th>interactive SLO</th><th>batch SLO</th>"
                        + "<th>GPU-hours</th><th>over lower bound</th><th>SLO tokens / GPU-hour</th>"
                        + "<th>throughput rps</th><th>goodput rps</th><th>scaling actions</th><th>preemptions</th>"
                        + "<th>guard rejections</th><th>late / dropped / unfinished</th></tr>");
        for (Simulation.Result r : e.results()) {
            PolicyResult p = r.metrics();
            html.append("<tr")
                    .append(r.policy().equals("chiron") ? " class=\"chiron\"" : "")
                    .append(">")
                    .append(cell(r.policy()))
                    .append(cell(Format.percent(p.interactiveSloAttainment())))
                    .append(cell(Format.percent(p.batchSloAttainment())))
                    .append(cell(String.format("%.2f", p.gpuHours())))
                    .append(cell(String.format("%.2fx", p.gpuHours() / e.lowerBoundGpuHours())))
                    .append(cell(String.format("%,.0f", p.outputTokensPerGpuHour())))
                    .append(cell(String.format("%.1f", p.throughputRps())))
                    .append(cell(String.format("%.1f", p.goodputRps())))
                    .append(cell(String.valueOf(p.scalingActions())))
                    .append(cell(String.valueOf(p.preemptions())))
                    .append(cell(String.valueOf(p.guardRejections())))
                    .append(
                            cell(
                                    String.format(
                                            "%,d / %,d / %,d",
                                            p.interactive().missedLate() + p.batch().missedLate(),
                                            p.requestsDropped(),
                                            p.requestsUnfinished())))
                    .append("</tr>");
        }
        html.append("</table>");
        Simulation.Result chiron = e.result("chiron");
        if (chiron != null && e.results().size() > 1) {
            html.append(
                    "<h2>Chiron against each policy</h2><table><tr><th>against</th><th>GPU-hours ratio</th>"
                            + "<th>interactive SLO difference</th><th>batch SLO difference</th><th>efficiency ratio</th></tr>");
            for (Simulation.Result r : e.results()) {
                if (r == chiron) {
                    continue;
                }
                PolicyResult c = chiron.metrics();
                PolicyResult b = r.metrics();
                html.append("<tr>")
                        .append(cell(r.policy()))
                        .append(cell(String.format("%.2fx", c.gpuHours() / b.gpuHours())))
                        .append(
                                cell(
                                        points(
                                                c.interactiveSloAttainment(),
                                                b.interactiveSloAttainment())))
                        .append(cell(points(c.batchSloAttainment(), b.batchSloAttainment())))
                        .append(
                                cell(
                                        String.format(
                                                "%.2fx",
                                                c.outputTokensPerGpuHour()
                                                        / Math.max(
                                                                1e-9, b.outputTokensPerGpuHour()))))
                        .append("</tr>");
            }
            html.append("</table>");
        }
        html.append("<h2>Over time</h2>");
        html.append(
                chart(
                        e,
                        "GPUs (instances running, starting or draining)",
                        "GPUs",
                        Simulation.Sample::gpus,
                        dir.resolve("gpus-over-time.png")));
        html.append(
                chart(
                        e,
                        "Interactive SLO attainment so far",
                        "attainment",
                        s -> nanToZero(s.interactiveAttainment())));
        html.append(
                chart(
                        e,
                        "Batch SLO attainment so far",
                        "attainment",
                        s -> nanToZero(s.batchAttainment())));
        html.append(
                chart(e, "Interactive requests queued", "requests", s -> s.queuedInteractive()));
        html.append(chart(e, "Batch requests queued", "requests", s -> s.queuedBatch()));
        html.append(chart(e, "Mean batch size B", "B", Simulation.Sample::meanBatchCap));
        html.append(
                "<p>Time series per policy: <code>timeseries-&lt;policy&gt;.csv</code>; numbers: <code>summary.json</code>.</p>");
        html.append("</body></html>\n");
        Path file = dir.resolve("report.html");
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return file;
    }

    private static String chart(
            Evaluation e, String title, String axis, ToDoubleFunction<Simulation.Sample> value)
            throws IOException {
        return chart(e, title, axis, value, null);
    }

    /** A line per policy, Chiron's thicker; also saved as {@code png} where one is given. */
    private static String chart(
            Evaluation e,
            String title,
            String axis,
            ToDoubleFunction<Simulation.Sample> value,
            Path png)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Simulation.Result r : e.results()) {
            XYSeries series = new XYSeries(r.policy());
            for (Simulation.Sample s : r.series()) {
                series.add(s.seconds() / 60, value.applyAsDouble(s));
            }
            data.addSeries(series);
        }
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        title,
                        "simulated minutes",
                        axis,
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        for (int k = 0; k < data.getSeriesCount(); k++) {
            boolean chiron = "chiron".equals(data.getSeriesKey(k));
            plot.getRenderer().setSeriesStroke(k, new BasicStroke(chiron ? 3f : 1.5f));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(bytes, chart, 1000, 360);
        if (png != null) {
            Files.write(png, bytes.toByteArray());
        }
        return "<img alt=\""
                + escape(title)
                + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(bytes.toByteArray())
                + "\">";
    }

    private static double nanToZero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static String cell(String s) {
        return "<td>" + escape(s) + "</td>";
    }

    private static String points(Double a, Double b) {
        return a == null || b == null ? "-" : String.format("%+.1f points", (a - b) * 100);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
