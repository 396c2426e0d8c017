package io.chiron.app.bench;

import io.chiron.app.demo.Completions;
import io.chiron.embedded.EmbeddedKafka;
import io.chiron.emulator.Emulator;
import io.chiron.gateway.BackendSpec;
import io.chiron.gateway.Gateway;
import io.chiron.gateway.GatewayConfig;
import io.chiron.records.InstanceRole;
import io.chiron.records.Topic;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The gateway's cost, measured in one run against the same emulated instances reached straight:
 * TTFT of streamed completions at a number of concurrent streams (the gateway's added latency is
 * the difference of the percentiles), and requests per second of short non-streamed completions.
 * Rounds alternate straight and through the gateway, so that a drift of the machine hits both. The
 * gateway runs as deployed, with its telemetry to an embedded broker.
 */
public final class GatewayBench {
    /** Figures of one path: TTFT percentiles of the streams, requests/s of the short ones. */
    public record Path(
            double ttftP50Ms, double ttftP99Ms, long streams, double requestsPerS, long failures) {}

    /**
     * @param stageMeanMs where the gateway's streams spent their time to first token, mean ms per
     *     stage over the measured rounds (from its own {@code chiron_gateway_stage_seconds})
     */
    public record Result(
            int instances,
            int concurrentStreams,
            Path direct,
            Path gateway,
            Map<String, Double> stageMeanMs) {}

    private GatewayBench() {}

    public static Result run(int instances, int concurrency, int rounds, Consumer<String> progress)
            throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(1)) {
            kafka.createTopics(
                    Map.of(
                            Topic.REQUESTS.defaultName(),
                            1,
                            Topic.HEARTBEATS.defaultName(),
                            1,
                            Topic.COMMANDS.defaultName(),
                            1));
            int base = Emulator.freePorts(instances);
            List<InstanceRole> roles = Collections.nCopies(instances, InstanceRole.MIXED);
            try (Emulator emulator =
                    Emulator.start(Emulator.Options.defaults(), roles, base, 0, s -> {})) {
                List<BackendSpec> specs = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    specs.add(BackendSpec.parse("mixed@http://127.0.0.1:" + (base + i), 256));
                }
                GatewayConfig c =
                        GatewayConfig.defaults()
                                .with("127.0.0.1", 0, specs, null, kafka.bootstrapServers())
                                .withQueue(100_000, java.time.Duration.ofSeconds(60));
                try (Gateway gateway = Gateway.start(c, s -> {})) {
                    Vertx vertx = Vertx.vertx();
                    try {
                        HttpClient client =
                                vertx.createHttpClient(
                                        new HttpClientOptions()
                                                .setKeepAlive(true)
                                                .setConnectTimeout(5000),
                                        new PoolOptions()
                                                .setHttp1MaxSize(4 * concurrency)
                                                .setMaxWaitQueueSize(-1));
                        List<Integer> straight = new ArrayList<>();
                        for (int i = 0; i < instances; i++) {
                            straight.add(base + i);
                        }
                        List<Integer> through = List.of(gateway.port());
                        // Warm-up, both paths alike: connections, and the JIT compiling the hot
                        // paths
                        // (the first round through the gateway ran several times slower than the
                        // third). A server in service is warm; the figures are of warm paths.
                        for (int w = 0; w < 3; w++) {
                            streams(client, straight, concurrency, 3 * concurrency);
                            streams(client, through, concurrency, 3 * concurrency);
                            shortOnes(client, straight, 256, 10_000);
                            shortOnes(client, through, 256, 10_000);
                        }
                        progress.accept("warmed up: 3 rounds of each path, not counted");
                        Map<String, double[]> stagesBefore = stages(client, gateway.port());
                        double[] engineStraight = new double[2];
                        double[] engineThrough = new double[2];
                        List<Double> dTtft = new ArrayList<>();
                        List<Double> gTtft = new ArrayList<>();
                        double dRps = 0;
                        double gRps = 0;
                        long dFail = 0;
                        long gFail = 0;
                        for (int r = 1; r <= rounds; r++) {
                            double[] e0 = engineTtft(client, straight);
                            Run d = streams(client, straight, concurrency, 3 * concurrency);
                            double[] e1 = engineTtft(client, straight);
                            Run g = streams(client, through, concurrency, 3 * concurrency);
                            double[] e2 = engineTtft(client, straight);
                            engineStraight[0] += e1[0] - e0[0];
                            engineStraight[1] += e1[1] - e0[1];
                            engineThrough[0] += e2[0] - e1[0];
                            engineThrough[1] += e2[1] - e1[1];
                            dTtft.addAll(d.ttfts);
                            gTtft.addAll(g.ttfts);
                            dFail += d.failures;
                            gFail += g.failures;
                            Run ds = shortOnes(client, straight, 256, 10_000);
                            Run gs = shortOnes(client, through, 256, 10_000);
                            dRps += ds.perSecond / rounds;
                            gRps += gs.perSecond / rounds;
                            dFail += ds.failures;
                            gFail += gs.failures;
                            progress.accept(
                                    String.format(
                                            java.util.Locale.ROOT,
                                            "round %d/%d: TTFT p50 %.1f / %.1f ms, p99 %.1f / %.1f ms (straight / gateway, %d streams at once); short completions %,.0f / %,.0f requests/s",
                                            r,
                                            rounds,
                                            pct(d.ttfts, 50),
                                            pct(g.ttfts, 50),
                                            pct(d.ttfts, 99),
                                            pct(g.ttfts, 99),
                                            concurrency,
                                            ds.perSecond,
                                            gs.perSecond));
                        }
                        Map<String, double[]> stagesAfter = stages(client, gateway.port());
                        Map<String, Double> stageMeans = new java.util.LinkedHashMap<>();
                        for (String stage : List.of("queue", "connect", "headers", "first_token")) {
                            double[] a = stagesAfter.getOrDefault(stage, new double[2]);
                            double[] b = stagesBefore.getOrDefault(stage, new double[2]);
                            double n = a[1] - b[1];
                            stageMeans.put(stage, n <= 0 ? Double.NaN : (a[0] - b[0]) / n * 1000);
                        }
                        progress.accept(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "at the gateway, mean ms to first token per stage: queue %.2f, connect %.2f, headers %.2f, first token %.2f",
                                        stageMeans.get("queue"),
                                        stageMeans.get("connect"),
                                        stageMeans.get("headers"),
                                        stageMeans.get("first_token")));
                        stageMeans.put(
                                "engine_ttft_straight",
                                engineStraight[0] / engineStraight[1] * 1000);
                        stageMeans.put(
                                "engine_ttft_through_gateway",
                                engineThrough[0] / engineThrough[1] * 1000);
                        progress.accept(
                                String.format(
                                        java.util.Locale.ROOT,
                                        "the instances' own TTFT (vllm:time_to_first_token_seconds), mean: straight %.1f ms, through the gateway %.1f ms",
                                        stageMeans.get("engine_ttft_straight"),
                                        stageMeans.get("engine_ttft_through_gateway")));
                        return new Result(
                                instances,
                                concurrency,
                                new Path(pct(dTtft, 50), pct(dTtft, 99), dTtft.size(), dRps, dFail),
                                new Path(pct(gTtft, 50), pct(gTtft, 99), gTtft.size(), gRps, gFail),
                                stageMeans);
                    } finally {
                        vertx.close()
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    /** The /metrics text of a server on loopback. */
    private static String scrape(HttpClient client, int port) throws Exception {
        return client.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
                .compose(r -> r.send().compose(resp -> resp.body()))
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .toString();
    }

    /** Sum and count of the instances' TTFT histograms, summed over the instances. */
    private static double[] engineTtft(HttpClient client, List<Integer> ports) throws Exception {
        double[] out = new double[2];
        for (int port : ports) {
            String text = scrape(client, port);
            for (var sample : io.chiron.gateway.vllm.PrometheusText.parse(text).samples()) {
                if (sample.name().equals("vllm:time_to_first_token_seconds_sum")) {
                    out[0] += sample.value();
                } else if (sample.name().equals("vllm:time_to_first_token_seconds_count")) {
                    out[1] += sample.value();
                }
            }
        }
        return out;
    }

    /** Sum and count of each stage of the gateway's stage histogram, scraped from its /metrics. */
    private static Map<String, double[]> stages(HttpClient client, int port) throws Exception {
        String text = scrape(client, port);
        Map<String, double[]> out = new java.util.HashMap<>();
        for (var sample : io.chiron.gateway.vllm.PrometheusText.parse(text).samples()) {
            String stage = sample.label("stage");
            if (stage == null) {
                continue;
            }
            double[] v = out.computeIfAbsent(stage, k -> new double[2]);
            if (sample.name().equals("chiron_gateway_stage_seconds_sum")) {
                v[0] = sample.value();
            } else if (sample.name().equals("chiron_gateway_stage_seconds_count")) {
                v[1] = sample.value();
            }
        }
        return out;
    }

    private record Run(List<Double> ttfts, double perSecond, long failures) {}

    static double pct(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int i = (int) Math.ceil(p / 100 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    /** {@code total} streamed completions, {@code concurrency} at a time; TTFT of each. */
    private static Run streams(HttpClient client, List<Integer> ports, int concurrency, int total)
            throws Exception {
        String body =
                "{\"model\":\"llama3-8b\",\"prompt\":\"the quick brown fox jumps over the lazy dog\",\"max_tokens\":16,\"stream\":true}";
        return drive(client, ports, concurrency, total, body, true);
    }

    /** {@code total} one-token non-streamed completions, {@code concurrency} at a time. */
    private static Run shortOnes(HttpClient client, List<Integer> ports, int concurrency, int total)
            throws Exception {
        String body = "{\"model\":\"llama3-8b\",\"prompt\":\"hello\",\"max_tokens\":1}";
        return drive(client, ports, concurrency, total, body, false);
    }

    private static Run drive(
            HttpClient client,
            List<Integer> ports,
            int concurrency,
            int total,
            String body,
            boolean stream)
            throws Exception {
        List<Double> ttfts = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Buffer payload = Buffer.buffer(body);
        Promise<Void> all = Promise.promise();
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        Runnable[] one = new Runnable[1];
        one[0] =
                () -> {
                    int n = next.getAndIncrement();
                    if (n >= total) {
                        return;
                    }
                    int port = ports.get(n % ports.size());
                    long start = System.nanoTime();
                    long[] first = {-1};
                    Future<Void> f =
                            Completions.post(
                                    client,
                                    port,
                                    payload,
                                    Map.of(),
                                    chunk -> {
                                        if (first[0] < 0) {
                                            first[0] = System.nanoTime();
                                        }
                                    });
                    f.onComplete(
                            ar -> {
                                if (ar.failed()) {
                                    failures.incrementAndGet();
                                } else if (stream && first[0] > 0) {
                                    ttfts.add((first[0] - start) / 1e6);
                                }
                                if (done.incrementAndGet() == total) {
                                    all.tryComplete();
                                } else {
                                    one[0].run();
                                }
                            });
                };
        for (int i = 0; i < Math.min(concurrency, total); i++) {
            one[0].run();
        }
        all.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(ttfts, total / seconds, failures.get());
    }
}
