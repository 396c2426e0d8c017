package io.chiron.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.function.Supplier;

/** The gateway's own Prometheus metrics, served on its {@code /metrics}. */
final class GatewayMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    final Counter requests;
    final Counter scrapes;
    final Histogram ttft;
    final Histogram stages;

    GatewayMetrics(GlobalQueue queue, Supplier<Collection<Backend>> backends, Telemetry telemetry) {
        requests =
                Counter.builder()
                        .name("chiron_gateway_requests")
                        .help(
                                "Requests by class and outcome (ok, failed, rejected, expired, cancelled).")
                        .labelNames("class", "outcome")
                        .register(registry);
        scrapes =
                Counter.builder()
                        .name("chiron_gateway_scrapes")
                        .help("Scrapes of backends' /metrics by result.")
                        .labelNames("result")
                        .register(registry);
        ttft =
                Histogram.builder()
                        .name("chiron_gateway_ttft_seconds")
                        .help("Time to first token as clients see it, by class.")
                        .classicOnly()
                        .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10, 30, 60)
                        .labelNames("class")
                        .register(registry);
        stages =
                Histogram.builder()
                        .name("chiron_gateway_stage_seconds")
                        .help(
                                "Where a request's time to first token goes at the gateway: queue"
                                        + " (arrival to dispatch), connect (dispatch to the request"
                                        + " sent upstream), headers (sent to the instance's response"
                                        + " headers), first_token (headers to the first token).")
                        .classicOnly()
                        .classicUpperBounds(
                                0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                0.5, 1, 2.5, 10)
                        .labelNames("stage")
                        .register(registry);
        GaugeWithCallback.builder()
                .name("chiron_gateway_queued")
                .help("Requests waiting in the global queue, by class.")
                .labelNames("class")
                .callback(
                        cb -> {
                            cb.call(queue.interactiveSize(), "interactive");
                            cb.call(queue.batchSize(), "batch");
                        })
                .register(registry);
        GaugeWithCallback.builder()
                .name("chiron_gateway_in_flight")
                .help("Requests in flight through the gateway, by backend.")
                .labelNames("backend", "role")
                .callback(
                        cb -> {
                            for (Backend b : backends.get()) {
                                cb.call(b.inFlight(), b.id(), b.role.name());
                            }
                        })
                .register(registry);
        GaugeWithCallback.builder()
                .name("chiron_gateway_admission_cap")
                .help("Admission cap B of each backend (SET_BATCH_SIZE, at most --max-num-seqs).")
                .labelNames("backend")
                .callback(
                        cb -> {
                            for (Backend b : backends.get()) {
                                cb.call(b.cap, b.id());
                            }
                        })
                .register(registry);
        GaugeWithCallback.builder()
                .name("chiron_gateway_backend_stale")
                .help("1 while a backend's /metrics cannot be scraped (no heartbeat, no routing).")
                .labelNames("backend")
                .callback(
                        cb -> {
                            for (Backend b : backends.get()) {
                                cb.call(b.stale ? 1 : 0, b.id());
                            }
                        })
                .register(registry);
        if (telemetry != null) {
            GaugeWithCallback.builder()
                    .name("chiron_gateway_telemetry_failed")
                    .help("Telemetry records Kafka did not take.")
                    .callback(cb -> cb.call(telemetry.failed.get()))
                    .register(registry);
        }
    }

    /** The stages of a finished request's first token (only those it went through). */
    void stage(Pending p) {
        if (p.dispatchedNanos < 0
                || p.sentNanos < 0
                || p.headersNanos < 0
                || p.firstTokenNanos < 0) {
            return;
        }
        stages.labelValues("queue").observe((p.dispatchedNanos - p.arrivalNanos) / 1e9);
        stages.labelValues("connect").observe((p.sentNanos - p.dispatchedNanos) / 1e9);
        stages.labelValues("headers").observe((p.headersNanos - p.sentNanos) / 1e9);
        stages.labelValues("first_token")
                .observe(Math.max(0, p.firstTokenNanos - p.headersNanos) / 1e9);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
