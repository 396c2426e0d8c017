package io.chiron.app;

import io.chiron.app.demo.TopicReader;
import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.embedded.EmbeddedStack;
import io.chiron.fleet.workload.Scenario;
import io.chiron.jobs.ChironJob;
import io.chiron.jobs.JobOptions;
import io.chiron.policy.ChironConfig;
import io.chiron.records.ScalingDecision;
import io.chiron.records.Topic;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's metrics through Flink's Prometheus reporter, as the compose stack and the
 * FlinkDeployment configure it, scraped while the job runs: every metric the Grafana dashboard's
 * PromQL names is one the job registers (issue 19), and Chiron's own are there.
 */
class MetricsITCase {
    static final Path DASHBOARD = Path.of("..", "docker", "grafana", "chiron-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b(flink_[a-zA-Z0-9_]+)");

    @Test
    void everyMetricOfTheDashboardIsOneTheRunningJobRegisters() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Configuration reporter = new Configuration();
        reporter.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        reporter.setString("metrics.reporter.prom.port", Integer.toString(port));
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (Topic t : Topic.values()) {
            topics.put(t.defaultName(), 1);
        }
        Recording recording =
                Recording.of("azure-conv", Scenario.MIXED, 20, Duration.ofMinutes(3), 1);
        try (EmbeddedStack stack = EmbeddedStack.start(2, topics, reporter)) {
            Replay.publish(stack.bootstrapServers(), recording);
            Configuration conf = new Configuration();
            conf.set(JobOptions.BOOTSTRAP_SERVERS, stack.bootstrapServers());
            conf.set(JobOptions.IDLENESS, Duration.ZERO);
            conf.set(JobOptions.DRY_RUN, true);
            conf.set(JobOptions.CHECKPOINT_INTERVAL, Duration.ofSeconds(2));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(conf);
            ChironJob.wireKafka(env, conf, ChironConfig.defaults());
            JobID job = stack.flink().submit(env, "chiron-metrics");
            TopicReader.awaitAny(
                    stack.bootstrapServers(),
                    Topic.DECISIONS.defaultName(),
                    ScalingDecision.class,
                    Duration.ofMinutes(2));
            String scrape =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            "http://127.0.0.1:"
                                                                    + port
                                                                    + "/metrics"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body();
            stack.flink().cancel(job);
            Set<String> registered = names(scrape);
            Files.writeString(Path.of("target", "metrics-scrape.txt"), scrape);
            // Chiron's own metrics, with their labels.
            assertThat(scrape)
                    .contains("flink_taskmanager_job_task_operator_decisions")
                    .contains("flink_taskmanager_job_task_operator_decisionLatencyMs")
                    .contains("role=\"interactive\"")
                    .contains("rule=\"cooldown\"")
                    .contains("flink_taskmanager_job_task_operator_deadLetters")
                    .contains("flink_taskmanager_job_task_operator_lateRecords")
                    .contains(
                            "operator_name=\"decode_requests\""); // the reporter writes spaces as _
            Set<String> used = dashboardMetrics();
            assertThat(used).isNotEmpty();
            assertThat(registered)
                    .as("the scrape is in target/metrics-scrape.txt")
                    .containsAll(used);
        }
    }

    /** Metric names of a Prometheus text scrape (histogram and summary suffixes included). */
    static Set<String> names(String scrape) {
        Set<String> out = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                out.add(line.split("[{ ]", 2)[0]);
            }
        }
        return out;
    }

    /** Every flink_* metric named by a PromQL expression of the dashboard. */
    static Set<String> dashboardMetrics() throws Exception {
        JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> out = new TreeSet<>();
        for (JsonNode panel : root.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
