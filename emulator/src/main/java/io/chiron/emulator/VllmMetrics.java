package io.chiron.emulator;

import io.chiron.fleet.sim.EmulatedEngine;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One emulated instance's {@code /metrics}: vLLM's V1 names, types, labels ({@code model_name},
 * {@code engine}) and histogram buckets, written by the Prometheus Java client. Gauges and counters
 * read the engine when scraped; latency histograms are observed as requests progress.
 */
final class VllmMetrics {
    /** vLLM's TTFT buckets (it has no 2.0 s bucket: a 2 s SLO must be interpolated). */
    static final double[] TTFT_BUCKETS = {
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
        20.0, 40.0, 80.0, 160.0, 640.0, 2560.0
    };

    /** vLLM's inter-token latency buckets. */
    static final double[] ITL_BUCKETS = {
        0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
        20.0, 40.0, 80.0
    };

    /** vLLM's end-to-end latency buckets. */
    static final double[] E2E_BUCKETS = {
        0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0,
        240.0, 480.0, 960.0, 1920.0, 7680.0
    };

    /** vLLM's block size: KV capacity is reported as blocks of this many tokens. */
    static final int BLOCK_SIZE = 16;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final String model;
    private final Histogram ttft;
    private final Histogram itl;
    private final Histogram e2e;
    private long finished;

    VllmMetrics(String model, EmulatedEngine engine) {
        this.model = model;
        String[] labels = {"model_name", "engine"};
        GaugeWithCallback.builder()
                .name("vllm:num_requests_running")
                .help("Number of requests in model execution batches.")
                .labelNames(labels)
                .callback(cb -> cb.call(engine.running(), model, "0"))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vllm:num_requests_waiting")
                .help("Number of requests waiting to be processed.")
                .labelNames(labels)
                .callback(cb -> cb.call(engine.waiting(), model, "0"))
                .register(registry);
        GaugeWithCallback.builder()
                .name("vllm:kv_cache_usage_perc")
                .help("KV-cache usage. 1 means 100 percent usage.")
                .labelNames(labels)
                .callback(cb -> cb.call(engine.kvCacheUsage(), model, "0"))
                .register(registry);
        CounterWithCallback.builder()
                .name("vllm:num_preemptions")
                .help("Cumulative number of preemption from the engine.")
                .labelNames(labels)
                .callback(cb -> cb.call(engine.preemptions(), model, "0"))
                .register(registry);
        CounterWithCallback.builder()
                .name("vllm:prompt_tokens")
                .help("Number of prefill tokens processed.")
                .labelNames(labels)
                .callback(cb -> cb.call(engine.promptTokens(), model, "0"))
                .register(registry);
        CounterWithCallback.builder()
                .name("vllm:generation_tokens")
                .help("Number of generation tokens processed.")
                .labelNames(labels)
                .callback(cb -> cb.call(engine.generationTokens(), model, "0"))
                .register(registry);
        CounterWithCallback.builder()
                .name("vllm:request_success")
                .help("Count of successfully processed requests.")
                .labelNames("model_name", "engine", "finished_reason")
                .callback(cb -> cb.call(finished, model, "0", "length"))
                .register(registry);
        Info.builder()
                .name("vllm:cache_config_info")
                .help("Information of the LLMEngine CacheConfig")
                .labelNames("block_size", "num_gpu_blocks", "engine")
                .register(registry)
                .setLabelValues(
                        Integer.toString(BLOCK_SIZE),
                        Long.toString(engine.kvCapacityTokens() / BLOCK_SIZE),
                        "0");
        this.ttft =
                histogram(
                        "vllm:time_to_first_token_seconds",
                        "Histogram of time to first token in seconds.",
                        TTFT_BUCKETS);
        this.itl =
                histogram(
                        "vllm:inter_token_latency_seconds",
                        "Histogram of inter-token latency in seconds.",
                        ITL_BUCKETS);
        this.e2e =
                histogram(
                        "vllm:e2e_request_latency_seconds",
                        "Histogram of e2e request latency in seconds.",
                        E2E_BUCKETS);
    }

    private Histogram histogram(String name, String help, double[] buckets) {
        return Histogram.builder()
                .name(name)
                .help(help)
                .classicOnly()
                .classicUpperBounds(buckets)
                .labelNames("model_name", "engine")
                .register(registry);
    }

    void firstToken(double seconds) {
        ttft.labelValues(model, "0").observe(seconds);
    }

    void interTokens(double secondsEach, int count) {
        var h = itl.labelValues(model, "0");
        for (int i = 0; i < count; i++) {
            h.observe(secondsEach);
        }
    }

    void finished(double e2eSeconds) {
        finished++;
        e2e.labelValues(model, "0").observe(e2eSeconds);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
