package io.chiron.gateway.vllm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The bridge reads /metrics of three vLLM generations (fixtures in src/test/resources/vllm, in the
 * names, types and labels vLLM's docs give for them): the V0 engine (0.6), the V1 engine while old
 * names were still exported beside the new (0.10), and only the renamed families with two
 * data-parallel engines (0.12 and later).
 */
class EngineSampleTest {
    private static EngineSample read(String name) throws IOException {
        try (InputStream in = EngineSampleTest.class.getResourceAsStream("/vllm/" + name)) {
            return EngineSample.of(
                    PrometheusText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void v0EngineFallsBackToTheOldNames() throws IOException {
        EngineSample s = read("v0.6.txt");
        assertThat(s.model()).isEqualTo("meta-llama/Meta-Llama-3-8B-Instruct");
        assertThat(s.running()).isEqualTo(12);
        assertThat(s.waiting()).isEqualTo(3);
        assertThat(s.kvUsage()).isEqualTo(0.25); // gpu_cache_usage_perc: no kv_cache_usage_perc
        assertThat(s.kvCapacityTokens()).isEqualTo(27_000L * 16);
        assertThat(s.preemptions()).isEqualTo(2);
        // time_per_output_token_seconds stands in for inter_token_latency_seconds: 1000 tokens, 30
        // s
        assertThat(s.itl().count()).isEqualTo(1000);
        assertThat(s.itl().sum()).isEqualTo(30);
    }

    @Test
    void newerNamesWinWhereBothAreExported() throws IOException {
        EngineSample s = read("v0.10.txt");
        assertThat(s.running()).isEqualTo(7);
        assertThat(s.kvUsage()).isEqualTo(0.5);
        assertThat(s.kvCapacityTokens()).isEqualTo(8192L * 16);
        // inter_token_latency_seconds (250 tokens, 3.5 s), not time_per_output_token (999, 999 s)
        assertThat(s.itl().count()).isEqualTo(250);
        assertThat(s.itl().sum()).isEqualTo(3.5);
        assertThat(s.generationTokens()).isEqualTo(259);
        assertThat(s.promptTokens()).isEqualTo(825);
    }

    @Test
    void dataParallelEnginesAreSummed() throws IOException {
        EngineSample s = read("v0.12-dp2.txt");
        assertThat(s.running()).isEqualTo(3 + 5);
        assertThat(s.waiting()).isEqualTo(0 + 2); // waiting_by_reason is not waiting counted twice
        assertThat(s.kvUsage()).isEqualTo((0.25 + 0.75) / 2); // equal capacities: the mean
        assertThat(s.kvCapacityTokens()).isEqualTo(2 * 1000L * 16);
        assertThat(s.preemptions()).isEqualTo(1 + 4);
        assertThat(s.promptTokens()).isEqualTo(-1); // not exported: unknown, not zero
        assertThat(s.itl().count()).isEqualTo(4 + 1);
        assertThat(s.itl().sum()).isCloseTo(0.24, within(1e-12));
        assertThat(s.itl().buckets())
                .containsEntry(0.05, 4.0)
                .containsEntry(Double.POSITIVE_INFINITY, 5.0);
    }

    @Test
    void maxSinceFindsTheLowestBucketHoldingEveryNewObservation() {
        java.util.TreeMap<Double, Double> before = new java.util.TreeMap<>();
        before.put(0.025, 10.0);
        before.put(0.05, 10.0);
        before.put(0.1, 10.0);
        before.put(Double.POSITIVE_INFINITY, 10.0);
        java.util.TreeMap<Double, Double> after = new java.util.TreeMap<>(before);
        // three new observations: two under 25 ms, one between 50 and 100 ms
        after.put(0.025, 12.0);
        after.put(0.05, 12.0);
        after.put(0.1, 13.0);
        after.put(Double.POSITIVE_INFINITY, 13.0);
        var b = new EngineSample.Histogram(10, 0.2, before);
        var a = new EngineSample.Histogram(13, 0.3, after);
        assertThat(a.maxSince(b)).isEqualTo(0.1);
        assertThat(b.maxSince(b)).isZero();
    }

    @Test
    void aScrapeThatIsNotVllmIsRefused() {
        assertThatThrownBy(
                        () ->
                                EngineSample.of(
                                        PrometheusText.parse("process_cpu_seconds_total 3.0\n")))
                .hasMessageContaining("vllm:num_requests_running");
    }

    @Test
    void oddLinesAreSkippedAndCounted() {
        PrometheusText t =
                PrometheusText.parse(
                        "# TYPE x gauge\nvllm:num_requests_running{model_name=\"a\\\"b\"} 2\ngarbage {\nx{le=\"+Inf\"} +Inf\n\n");
        assertThat(t.samples()).hasSize(2);
        assertThat(t.samples().get(0).label("model_name")).isEqualTo("a\"b");
        assertThat(t.samples().get(1).value()).isInfinite();
        assertThat(t.skipped()).isEqualTo(1);
    }
}
