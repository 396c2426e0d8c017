package io.chiron.emulator;

import io.chiron.records.InstanceRole;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Emulated vLLM instances over real HTTP: vLLM's /metrics, its errors, and the control endpoint.
 */
class EmulatorITCase {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitUntil(Check c, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void metricsSpeakVllmsNamesTypesAndLabels() throws Exception {
        int port = Emulator.freePorts(1);
        try (Emulator e =
                Emulator.start(
                        Emulator.Options.defaults(),
                        List.of(InstanceRole.MIXED),
                        port,
                        0,
                        s -> {})) {
            assertThat(
                            post(
                                            port,
                                            "/v1/completions",
                                            "{\"prompt\":\"a b c d\",\"max_tokens\":5}")
                                    .statusCode())
                    .isEqualTo(200);
            String m = get(port, "/metrics").body();
            // Gauges, counters (with _total) and histograms as vLLM's V1 engine exports them.
            assertThat(m)
                    .contains("# TYPE vllm:num_requests_running gauge")
                    .contains(
                            "vllm:num_requests_running{engine=\"0\",model_name=\"llama3-8b\"} 0.0")
                    .contains("# TYPE vllm:num_requests_waiting gauge")
                    .contains("# TYPE vllm:kv_cache_usage_perc gauge")
                    .contains("# TYPE vllm:num_preemptions_total counter")
                    .contains("vllm:prompt_tokens_total{engine=\"0\",model_name=\"llama3-8b\"} 4.0")
                    .contains(
                            "vllm:generation_tokens_total{engine=\"0\",model_name=\"llama3-8b\"} 5.0")
                    .contains(
                            "vllm:request_success_total{engine=\"0\",finished_reason=\"length\",model_name=\"llama3-8b\"} 1.0")
                    .contains("# TYPE vllm:time_to_first_token_seconds histogram")
                    // vLLM's TTFT buckets: ... 1.0, 2.5 ... (no 2.0)
                    .contains(
                            "vllm:time_to_first_token_seconds_bucket{engine=\"0\",model_name=\"llama3-8b\",le=\"2.5\"} 1")
                    .doesNotContain(
                            "vllm:time_to_first_token_seconds_bucket{engine=\"0\",model_name=\"llama3-8b\",le=\"2.0\"}")
                    // 5 tokens: 4 inter-token gaps
                    .contains(
                            "vllm:inter_token_latency_seconds_count{engine=\"0\",model_name=\"llama3-8b\"} 4")
                    .containsPattern(
                            "vllm:cache_config_info\\{block_size=\"16\",engine=\"0\",num_gpu_blocks=\"\\d+\"} 1");
        }
    }

    @Test
    void requestsVllmRefusesAreRefusedInItsWords() throws Exception {
        int port = Emulator.freePorts(1);
        Emulator.Options fcfs =
                new Emulator.Options(
                        "llama3-8b", 4, false, 1, Duration.ofSeconds(1), 1000, "127.0.0.1");
        try (Emulator e = Emulator.start(fcfs, List.of(InstanceRole.MIXED), port, 0, s -> {})) {
            HttpResponse<String> model =
                    post(port, "/v1/completions", "{\"model\":\"other\",\"prompt\":\"a\"}");
            assertThat(model.statusCode()).isEqualTo(404);
            assertThat(model.body()).contains("The model `other` does not exist.");
            HttpResponse<String> priority =
                    post(port, "/v1/completions", "{\"prompt\":\"a\",\"priority\":10}");
            assertThat(priority.statusCode()).isEqualTo(400);
            assertThat(priority.body()).contains("Priority scheduling is not enabled");
            HttpResponse<String> longer =
                    post(port, "/v1/completions", "{\"prompt\":\"a\",\"max_tokens\":1000}");
            assertThat(longer.statusCode()).isEqualTo(400);
            assertThat(longer.body()).contains("maximum context length is 1000 tokens");
            assertThat(post(port, "/v1/completions", "not json").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void theControlEndpointScalesLikeKubernetesWould() throws Exception {
        int port = Emulator.freePorts(1);
        int control = Emulator.freePorts(1);
        Emulator.Options o = Emulator.Options.defaults().withColdStart(Duration.ofMillis(500));
        try (Emulator e = Emulator.start(o, List.of(InstanceRole.MIXED), port, control, s -> {})) {
            String up = "{\"type\":\"SET_REPLICAS\",\"role\":\"MIXED\",\"value\":2}";
            assertThat(post(control, "/commands", up).body()).contains("mixed: 1 -> 2");
            // The new one provisions (no server yet), then serves after its cold start.
            assertThat(get(control, "/instances").body()).contains("PROVISIONING");
            awaitUntil(
                    () ->
                            e.instances().stream()
                                            .filter(l -> l.state() == Emulator.State.RUNNING)
                                            .count()
                                    == 2,
                    "two running");
            String newUrl = e.instances().get(1).url();
            int newPort = URI.create(newUrl).getPort();
            assertThat(get(newPort, "/metrics").body()).contains("vllm:num_requests_running");
            // Batch sizes are the gateway's business: acknowledged, not applied here.
            assertThat(
                            post(
                                            control,
                                            "/commands",
                                            "{\"type\":\"SET_BATCH_SIZE\",\"instance_id\":\"x\",\"value\":8}")
                                    .body())
                    .contains("ignored");
            assertThat(
                            post(
                                            control,
                                            "/commands",
                                            "{\"type\":\"SET_REPLICAS\",\"role\":\"CHEF\",\"value\":1}")
                                    .statusCode())
                    .isEqualTo(400);
            // Down to one: the idler one drains, then stops and leaves the list.
            assertThat(post(control, "/commands", up.replace("2}", "1}")).body())
                    .contains("mixed: 2 -> 1");
            assertThat(e.instances()).anyMatch(l -> l.state() == Emulator.State.DRAINING);
            awaitUntil(() -> e.instances().size() == 1, "the drained one gone");
            assertThat(e.instances().get(0).state()).isEqualTo(Emulator.State.RUNNING);
        }
    }
}
