package io.chiron.gateway;

import io.chiron.embedded.EmbeddedKafka;
import io.chiron.emulator.Emulator;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.records.AvroDeserializer;
import io.chiron.records.AvroSerializer;
import io.chiron.records.CommandType;
import io.chiron.records.FleetCommand;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway between the official OpenAI Java SDK and emulated vLLM instances, with its telemetry
 * on a real Kafka broker: streams arrive whole and in order, the telemetry agrees with what the
 * client saw, caps from chiron.commands hold at the instance, classes go to their roles, batch
 * leaves the queue earliest deadline first, and a backend that dies mid-stream fails its request
 * and goes stale.
 */
class GatewayITCase {
    private static EmbeddedKafka kafka;
    private static Emulator emulator;
    private static Gateway gateway;
    private static OpenAIClient openai;
    private static String interactiveId;
    private static String mixedId;
    private static String batchId;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(1);
        kafka.createTopics(
                Map.of("chiron.requests", 1, "chiron.heartbeats", 1, "chiron.commands", 1));
        int base = Await.freePortRange(3);
        emulator =
                Emulator.start(
                        Emulator.Options.defaults(),
                        List.of(InstanceRole.INTERACTIVE, InstanceRole.MIXED, InstanceRole.BATCH),
                        base,
                        0,
                        s -> {});
        interactiveId = "127.0.0.1:" + base;
        mixedId = "127.0.0.1:" + (base + 1);
        batchId = "127.0.0.1:" + (base + 2);
        List<BackendSpec> backends =
                List.of(
                        BackendSpec.parse("interactive@http://127.0.0.1:" + base, 256),
                        BackendSpec.parse("mixed@http://127.0.0.1:" + (base + 1), 256),
                        BackendSpec.parse("batch@http://127.0.0.1:" + (base + 2), 256));
        GatewayConfig c =
                GatewayConfig.defaults()
                        .with("127.0.0.1", 0, backends, null, kafka.bootstrapServers());
        gateway = Gateway.start(c, s -> {});
        openai =
                OpenAIOkHttpClient.builder()
                        .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
                        .apiKey("test")
                        .maxRetries(0)
                        .build();
        Await.until(
                () ->
                        !gateway.stale(interactiveId)
                                && !gateway.stale(mixedId)
                                && !gateway.stale(batchId),
                "backends scraped");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static <T extends SpecificRecord> List<T> read(
            String topic, Class<T> type, Predicate<T> until) throws Exception {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, T> c = fromTheStart(topic, type)) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, T> r : c.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                    if (until.test(r.value())) {
                        return out;
                    }
                }
            }
        }
        throw new AssertionError(
                "the awaited record never came on " + topic + " (" + out.size() + " read)");
    }

    private static List<RequestEvent> requestEventsUntil(Predicate<RequestEvent> until)
            throws Exception {
        gateway.flush();
        return read("chiron.requests", RequestEvent.class, until);
    }

    private static ChatCompletionCreateParams chat(
            String requestId, int tokens, String cls, Long deadlineSeconds) {
        ChatCompletionCreateParams.Builder b =
                ChatCompletionCreateParams.builder()
                        .model("llama3-8b")
                        .addUserMessage("tell me a story about the sea")
                        .maxCompletionTokens(tokens)
                        .putAdditionalHeader("x-request-id", requestId);
        if (cls != null) {
            b.putAdditionalHeader("x-chiron-class", cls);
        }
        if (deadlineSeconds != null) {
            b.putAdditionalHeader("x-chiron-deadline", Long.toString(deadlineSeconds));
        }
        return b.build();
    }

    /** Streams one chat completion; returns the tokens' text and the client's TTFT in ms. */
    private static Object[] stream(ChatCompletionCreateParams params) {
        long t0 = System.nanoTime();
        long first = -1;
        List<String> tokens = new ArrayList<>();
        boolean usageSeen = false;
        try (StreamResponse<ChatCompletionChunk> s =
                openai.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk c : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                usageSeen |= c.usage().isPresent();
                for (ChatCompletionChunk.Choice choice : c.choices()) {
                    String text = choice.delta().content().orElse("");
                    if (!text.isEmpty()) {
                        if (first < 0) {
                            first = System.nanoTime();
                        }
                        tokens.add(text);
                    }
                }
            }
        }
        return new Object[] {tokens, (first - t0) / 1_000_000, usageSeen};
    }

    @Test
    @SuppressWarnings("unchecked")
    void streamsArriveWholeInOrderAndTheTelemetryAgreesWithTheClient() throws Exception {
        stream(chat("warm-up", 2, null, null)); // the SDK's and the connection's first-use costs
        Object[] r = stream(chat("order-1", 40, null, null));
        List<String> tokens = (List<String>) r[0];
        long clientTtft = (long) r[1];
        // The emulator's token i is " t<i>": all 40, in order.
        assertThat(tokens)
                .containsExactlyElementsOf(IntStream.range(0, 40).mapToObj(i -> " t" + i).toList());
        // The gateway asked the instance for usage; the client did not, so it sees none.
        assertThat((boolean) r[2]).isFalse();

        List<RequestEvent> seen =
                requestEventsUntil(
                        e ->
                                e.getRequestId().toString().equals("order-1")
                                        && e.getType() == RequestEventType.FINISHED);
        RequestEvent finished = seen.get(seen.size() - 1);
        assertThat(finished.getInstanceId().toString())
                .isEqualTo(interactiveId); // interactive → INTERACTIVE
        assertThat(finished.getOutputTokens()).isEqualTo(40); // from the usage chunk
        assertThat(finished.getPromptTokens()).isEqualTo(7); // the emulator's tokenizer: 7 words
        assertThat(finished.getSloMet()).isTrue();
        // TTFT at the gateway (arrival to first token event) lies inside the client's (send to
        // first token), which adds the request's and the token's trip over loopback: how long
        // that trip takes depends on the machine's load (13 ms on a busy CI run), so the lower
        // bound is what the instance cannot beat: one prefill iteration of the 7-token prompt
        // on the emulator's latency model (attention work 0 makes it a lower bound), less the
        // 1 ms the gateway's millisecond clock can lose.
        long prefillFloor = (long) new SimConfig().latency.prefillMs(7, 0) - 1;
        assertThat(finished.getTtftMs()).isBetween(prefillFloor, clientTtft);
        assertThat(
                        seen.stream()
                                .filter(e -> e.getRequestId().toString().equals("order-1"))
                                .map(RequestEvent::getType))
                .containsExactly(
                        RequestEventType.ARRIVED,
                        RequestEventType.STARTED,
                        RequestEventType.FINISHED);

        // The raw stream ends with [DONE], as vLLM's does.
        HttpResponse<String> raw =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + gateway.port()
                                                                + "/v1/completions"))
                                        .header("content-type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofString(
                                                        "{\"prompt\":\"a b c\",\"max_tokens\":3,\"stream\":true}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body())
                .endsWith("data: [DONE]\n\n")
                .contains("\" t2\"")
                .doesNotContain("usage");
    }

    @Test
    void admissionCapsFromChironCommandsHoldAtTheInstance() throws Exception {
        sendCap(interactiveId, 2);
        sendCap(mixedId, 1);
        Await.until(
                () -> gateway.cap(interactiveId) == 2 && gateway.cap(mixedId) == 1, "caps applied");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Object[]>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ChatCompletionCreateParams p = chat("cap-" + i, 30, "interactive", null);
                all.add(CompletableFuture.supplyAsync(() -> stream(p), pool));
            }
            for (CompletableFuture<Object[]> f : all) {
                assertThat((List<?>) f.get(60, TimeUnit.SECONDS)[0]).hasSize(30);
            }
        } finally {
            pool.shutdownNow();
        }
        // 8 concurrent requests, room for 2 + 1: at the instances themselves, never more.
        assertThat(emulator.runningHighWater("emu-" + interactiveId.split(":")[1]))
                .isLessThanOrEqualTo(2);
        assertThat(emulator.runningHighWater("emu-" + mixedId.split(":")[1]))
                .isLessThanOrEqualTo(1);
        sendCap(interactiveId, 256);
        sendCap(mixedId, 256);
        Await.until(
                () -> gateway.cap(interactiveId) == 256 && gateway.cap(mixedId) == 256,
                "caps restored");
    }

    @Test
    void batchGoesToBatchInstancesAndLeavesTheQueueEarliestDeadlineFirst() throws Exception {
        sendCap(batchId, 1);
        sendCap(mixedId, 1);
        Await.until(() -> gateway.cap(batchId) == 1 && gateway.cap(mixedId) == 1, "caps applied");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            // Two long batch requests fill the batch instance and then the mixed one...
            CompletableFuture<Object[]> a =
                    CompletableFuture.supplyAsync(
                            () -> stream(chat("edf-fill-a", 300, "batch", 3600L)), pool);
            Await.until(() -> gateway.inFlight(batchId) == 1, "edf-fill-a started");
            CompletableFuture<Object[]> b =
                    CompletableFuture.supplyAsync(
                            () -> stream(chat("edf-fill-b", 300, "batch", 3600L)), pool);
            Await.until(
                    () -> gateway.inFlight(mixedId) == 1,
                    "edf-fill-b started"); // overflow to MIXED
            // ...so that four more wait, arriving latest deadline first.
            List<CompletableFuture<Object[]>> waiting = new ArrayList<>();
            for (long deadline : new long[] {400, 300, 200, 100}) {
                ChatCompletionCreateParams p = chat("edf-" + deadline, 5, "batch", deadline);
                waiting.add(CompletableFuture.supplyAsync(() -> stream(p), pool));
                long before = gateway.stats().arrived.get();
                Await.until(
                        () -> gateway.stats().arrived.get() > before,
                        "edf-" + deadline + " arrived");
            }
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<Object[]> f : waiting) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> startOrder =
                requestEventsUntil(
                                e ->
                                        e.getRequestId().toString().equals("edf-400")
                                                && e.getType() == RequestEventType.FINISHED)
                        .stream()
                        .filter(
                                e ->
                                        e.getType() == RequestEventType.STARTED
                                                && e.getRequestId().toString().matches("edf-\\d+"))
                        .map(e -> e.getRequestId().toString())
                        .toList();
        assertThat(startOrder).containsExactly("edf-100", "edf-200", "edf-300", "edf-400");
        Map<String, RequestEvent> all = gatewayEvents();
        assertThat(all.get("edf-fill-a/STARTED").getInstanceId().toString())
                .isEqualTo(batchId); // BATCH first
        assertThat(all.get("edf-fill-b/STARTED").getInstanceId().toString()).isEqualTo(mixedId);
        sendCap(batchId, 256);
        sendCap(mixedId, 256);
        Await.until(
                () -> gateway.cap(batchId) == 256 && gateway.cap(mixedId) == 256, "caps restored");
    }

    /** The gateway's request events so far, by request id and type (read from Kafka). */
    private static Map<String, RequestEvent> gatewayEvents() {
        gateway.flush();
        Map<String, RequestEvent> out = new java.util.HashMap<>();
        for (RequestEvent e : drain("chiron.requests", RequestEvent.class)) {
            out.put(e.getRequestId() + "/" + e.getType(), e);
        }
        return out;
    }

    /** A consumer of its own group, reading a topic from its first record. */
    private static <T extends SpecificRecord> KafkaConsumer<String, T> fromTheStart(
            String topic, Class<T> type) {
        Map<String, Object> conf =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + System.nanoTime(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest");
        KafkaConsumer<String, T> c =
                new KafkaConsumer<>(conf, new StringDeserializer(), new AvroDeserializer<>(type));
        c.subscribe(List.of(topic));
        return c;
    }

    /** Every record on a topic now: read until two polls in a row bring nothing. */
    private static <T extends SpecificRecord> List<T> drain(String topic, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (KafkaConsumer<String, T> c = fromTheStart(topic, type)) {
            int empty = 0;
            while (empty < 2) {
                var records = c.poll(Duration.ofMillis(300));
                if (records.isEmpty() && !c.assignment().isEmpty()) {
                    empty++;
                }
                for (ConsumerRecord<String, T> r : records) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }

    private static void sendCap(String instance, int value) throws Exception {
        Map<String, Object> conf =
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, FleetCommand> p =
                new KafkaProducer<>(
                        conf, new StringSerializer(), new AvroSerializer<>(FleetCommand.class))) {
            FleetCommand c =
                    FleetCommand.newBuilder()
                            .setCommandId("cmd-" + System.nanoTime())
                            .setDecisionId("d")
                            .setTsMs(System.currentTimeMillis())
                            .setModel("llama3-8b")
                            .setType(CommandType.SET_BATCH_SIZE)
                            .setInstanceId(instance)
                            .setRole(null)
                            .setValue(value)
                            .build();
            p.send(new ProducerRecord<>("chiron.commands", instance, c)).get();
        }
    }

    @Test
    void aBackendKilledMidStreamFailsTheRequestAndGoesStale() throws Exception {
        int port = Await.freePortRange(1);
        Emulator doomed =
                Emulator.start(
                        Emulator.Options.defaults(),
                        List.of(InstanceRole.INTERACTIVE),
                        port,
                        0,
                        s -> {});
        String id = "127.0.0.1:" + port;
        GatewayConfig c =
                GatewayConfig.defaults()
                        .with(
                                "127.0.0.1",
                                0,
                                List.of(BackendSpec.parse("interactive@http://" + id, 256)),
                                null,
                                kafka.bootstrapServers());
        try (Gateway g = Gateway.start(c, s -> {})) {
            Await.until(() -> g.stats().heartbeats.get() >= 1, "a first heartbeat (two scrapes)");
            OpenAIClient client =
                    OpenAIOkHttpClient.builder()
                            .baseUrl("http://127.0.0.1:" + g.port() + "/v1")
                            .apiKey("k")
                            .maxRetries(0)
                            .build();
            List<String> got = new ArrayList<>();
            assertThatThrownBy(
                            () -> {
                                try (StreamResponse<ChatCompletionChunk> s =
                                        client.chat()
                                                .completions()
                                                .createStreaming(
                                                        chat("doomed-1", 2000, null, null))) {
                                    for (ChatCompletionChunk chunk :
                                            (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                                        chunk.choices()
                                                .forEach(
                                                        ch ->
                                                                ch.delta()
                                                                        .content()
                                                                        .filter(t -> !t.isEmpty())
                                                                        .ifPresent(got::add));
                                        if (got.size() == 5) {
                                            doomed.close(); // the instance dies mid-stream
                                        }
                                    }
                                }
                            })
                    .isInstanceOf(RuntimeException.class);
            assertThat(got).hasSizeBetween(5, 1999); // a broken stream, not a short clean one
            Await.until(() -> g.stats().failed.get() == 1, "the request counted as failed");
            Await.until(() -> g.stale(id), "the instance stale");
            long staleAt = System.currentTimeMillis();
            long failures = g.stats().scrapeFailures.get();
            Await.until(
                    () -> g.stats().scrapeFailures.get() >= failures + 2,
                    "two more failed scrapes");
            List<RequestEvent> ev =
                    requestEventsUntil(
                            e ->
                                    e.getRequestId().toString().equals("doomed-1")
                                            && e.getType() == RequestEventType.DROPPED);
            assertThat(ev.get(ev.size() - 1).getDropReason().toString()).contains(id);
            // No heartbeat for it once it went stale: the job sees it missing and holds.
            g.flush();
            assertThat(drain("chiron.heartbeats", InstanceHeartbeat.class))
                    .filteredOn(h -> h.getInstanceId().toString().equals(id))
                    .isNotEmpty()
                    .allSatisfy(h -> assertThat(h.getTsMs()).isLessThanOrEqualTo(staleAt));
        } finally {
            doomed.close();
        }
    }
}
