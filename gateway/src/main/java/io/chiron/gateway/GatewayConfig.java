package io.chiron.gateway;

import io.chiron.records.RequestClass;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the gateway runs with. Defaults match the simulator's SLOs (TTFT 2 s, ITL 50 ms
 * interactive and 500 ms batch) so that the job judges gateway telemetry as it judges the fleet's.
 *
 * @param backends a static list of instances (may be empty when {@code discovery} is set)
 * @param discovery a URL listing instances as JSON ({@code chiron emulate}'s control endpoint), or
 *     null
 * @param bootstrapServers Kafka, or null to run without telemetry and commands
 * @param tenants API key to class: a tenant's requests take its class unless a header says
 * @param maxQueued requests waiting in the global queue at most; beyond it, 429
 * @param maxWait how long an interactive request may wait for an instance (also while a pool scales
 *     from zero); beyond it, 503. A batch request waits until its deadline.
 * @param batchPriority vLLM {@code priority} of batch requests on MIXED instances (lower runs
 *     first; interactive requests go with 0)
 */
public record GatewayConfig(
        String host,
        int port,
        List<BackendSpec> backends,
        URI discovery,
        String bootstrapServers,
        Map<String, String> kafkaProperties,
        String requestsTopic,
        String heartbeatsTopic,
        String commandsTopic,
        String model,
        RequestClass defaultClass,
        Map<String, RequestClass> tenants,
        Duration batchDeadline,
        int ttftSloMs,
        int interactiveItlSloMs,
        int batchItlSloMs,
        int maxQueued,
        Duration maxWait,
        Duration scrapeInterval,
        int batchPriority,
        int maxNumSeqs) {

    public static GatewayConfig defaults() {
        return new GatewayConfig(
                "127.0.0.1",
                8080,
                List.of(),
                null,
                null,
                Map.of(),
                "chiron.requests",
                "chiron.heartbeats",
                "chiron.commands",
                "llama3-8b",
                RequestClass.INTERACTIVE,
                Map.of(),
                Duration.ofHours(1),
                2000,
                50,
                500,
                10_000,
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                10,
                256);
    }

    public GatewayConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--listen: port " + port + " is not in 0..65535");
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("--max-queued must be >= 0, not " + maxQueued);
        }
        if (maxNumSeqs < 1) {
            throw new IllegalArgumentException("--max-num-seqs must be >= 1, not " + maxNumSeqs);
        }
        if (scrapeInterval.isNegative() || scrapeInterval.isZero()) {
            throw new IllegalArgumentException(
                    "--scrape-interval must be positive, not " + scrapeInterval);
        }
        backends = List.copyOf(backends);
        tenants = Map.copyOf(tenants);
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    public GatewayConfig with(
            String host, int port, List<BackendSpec> backends, URI discovery, String bootstrap) {
        return new GatewayConfig(
                host,
                port,
                backends,
                discovery,
                bootstrap,
                kafkaProperties,
                requestsTopic,
                heartbeatsTopic,
                commandsTopic,
                model,
                defaultClass,
                tenants,
                batchDeadline,
                ttftSloMs,
                interactiveItlSloMs,
                batchItlSloMs,
                maxQueued,
                maxWait,
                scrapeInterval,
                batchPriority,
                maxNumSeqs);
    }

    public GatewayConfig withQueue(int maxQueued, Duration maxWait) {
        return new GatewayConfig(
                host,
                port,
                backends,
                discovery,
                bootstrapServers,
                kafkaProperties,
                requestsTopic,
                heartbeatsTopic,
                commandsTopic,
                model,
                defaultClass,
                tenants,
                batchDeadline,
                ttftSloMs,
                interactiveItlSloMs,
                batchItlSloMs,
                maxQueued,
                maxWait,
                scrapeInterval,
                batchPriority,
                maxNumSeqs);
    }
}
