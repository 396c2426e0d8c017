package io.chiron.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchResultsTest {
    /** bench.json keeps the keys it had when commands built maps by hand. */
    @Test
    void benchJsonHasTheKeysReadersKnow() {
        Map<String, Double> stages = new LinkedHashMap<>();
        stages.put("decisions_latency_p50_ms", 400.0);
        stages.put("generator_lag_p99_ms", 3.0);
        var report =
                new BenchResults.Report(
                        new BenchResults.Machine(2, 3072, "17", "Linux", "[]"),
                        List.of(
                                new BenchResults.Pipeline(
                                        1,
                                        10,
                                        3,
                                        2.0,
                                        1.0,
                                        0.5,
                                        new double[] {2},
                                        new double[] {1},
                                        1.5,
                                        0.75),
                                new BenchResults.Latency(
                                        1, 1000, 999.5, true, 10, 7, 400, 680, 800, 2000, stages)),
                        12.5);
        JsonNode j = new ObjectMapper().valueToTree(report);
        assertThat(j.get("machine").get("max_heap_mb").asInt()).isEqualTo(3072);
        assertThat(j.get("run_seconds").asDouble()).isEqualTo(12.5);
        JsonNode pipeline = j.get("benchmarks").get(0);
        assertThat(pipeline.get("benchmark").asText()).isEqualTo("pipeline");
        assertThat(pipeline.get("job_records_per_s").asDouble()).isEqualTo(1.0);
        assertThat(pipeline.get("raw_records_per_s_each").get(0).asDouble()).isEqualTo(2.0);
        assertThat(pipeline.get("source_floor_ratio").asDouble()).isEqualTo(0.75);
        JsonNode latency = j.get("benchmarks").get(1);
        assertThat(latency.get("benchmark").asText()).isEqualTo("latency");
        assertThat(latency.get("decision_latency_p99_ms").asDouble()).isEqualTo(680.0);
        assertThat(latency.get("target_records_per_s").asLong()).isEqualTo(1000);
        // The stages sit beside the other keys, not in an object of their own.
        assertThat(latency.get("decisions_latency_p50_ms").asDouble()).isEqualTo(400.0);
        assertThat(latency.has("stages")).isFalse();
    }

    @Test
    void theDecodeFiguresNameBothSidesAndEachRound() {
        var d =
                new BenchResults.Decode(
                        2_000_000,
                        2,
                        2.0e6,
                        2.4e6,
                        1.2,
                        new double[] {2.0e6},
                        new double[] {2.4e6});
        JsonNode j = new ObjectMapper().valueToTree(d);
        assertThat(j.get("benchmark").asText()).isEqualTo("decode");
        assertThat(j.get("avro_records_per_s").asDouble()).isEqualTo(2.0e6);
        assertThat(j.get("codec_records_per_s").asDouble()).isEqualTo(2.4e6);
        assertThat(j.get("ratio").asDouble()).isEqualTo(1.2);
        assertThat(j.get("codec_records_per_s_each").get(0).asDouble()).isEqualTo(2.4e6);
    }

    @Test
    void theGatewaysFiguresAreSnakeCasedWithTheirRatio() {
        var g =
                new BenchResults.Gateway(
                        4,
                        1000,
                        9000,
                        45,
                        100,
                        85,
                        120,
                        40,
                        20,
                        14000,
                        12000,
                        12000.0 / 14000,
                        0,
                        Map.of("queue", 0.01));
        JsonNode j = new ObjectMapper().valueToTree(g);
        assertThat(j.get("benchmark").asText()).isEqualTo("gateway");
        assertThat(j.get("added_ttft_p50_ms").asDouble()).isEqualTo(40.0);
        assertThat(j.get("requests_per_second_ratio").asDouble())
                .isCloseTo(0.857, org.assertj.core.api.Assertions.within(0.001));
        assertThat(j.get("gateway_stage_mean_ms").get("queue").asDouble()).isEqualTo(0.01);
    }
}
