package io.chiron.app;

import io.chiron.gateway.BackendSpec;
import io.chiron.gateway.Gateway;
import io.chiron.gateway.GatewayConfig;
import io.chiron.gateway.KubernetesDiscovery;
import io.chiron.kafka.KafkaClientProperties;
import io.chiron.kafka.KafkaReachability;
import io.chiron.records.RequestClass;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code chiron gateway}: the OpenAI-compatible gateway in front of vLLM instances. */
@Command(
        name = "gateway",
        mixinStandardHelpOptions = true,
        description = {
            "The OpenAI-compatible gateway in front of vLLM instances: the global queue"
                    + " (interactive first come first served, batch earliest deadline first),"
                    + " routing by role, an admission cap per instance (the job's SET_BATCH_SIZE"
                    + " from chiron.commands), streams passed through event by event with TTFT and"
                    + " ITL measured on them, RequestEvents to chiron.requests, and heartbeats"
                    + " from each instance's /metrics to chiron.heartbeats.",
            "Clients choose a class with the header x-chiron-class (interactive, batch) and a"
                    + " batch deadline with x-chiron-deadline (seconds from now or an ISO-8601"
                    + " instant); --tenant maps API keys to classes.",
            "Runs until interrupted; prints a status line per change."
        })
final class GatewayCommand implements Callable<Integer> {
    @Option(
            names = "--listen",
            defaultValue = "127.0.0.1:8080",
            description = "HOST:PORT to listen on (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(
            names = "--backends",
            split = ",",
            description =
                    "Instances, [role@]http://HOST:PORT, comma-separated (role: interactive, mixed"
                            + " or batch; default mixed). Example:"
                            + " interactive@http://10.0.0.7:8000,mixed@http://10.0.0.8:8000")
    List<String> backends = new ArrayList<>();

    @Option(
            names = "--discovery-url",
            description =
                    "A URL that lists instances as JSON (chiron emulate's GET /instances), polled each second.")
    URI discovery;

    @Option(
            names = "--kubernetes-service",
            split = ",",
            description =
                    "Services whose EndpointSlices are the instances (watched); each pod's role"
                            + " from its label chiron.io/role. The gateway also sets each pod's"
                            + " controller.kubernetes.io/pod-deletion-cost from its load.")
    List<String> kubernetesServices = new ArrayList<>();

    @Option(
            names = "--kubernetes-namespace",
            description =
                    "Namespace of those Services (default: the client's, e.g. the pod's own).")
    String kubernetesNamespace;

    @Option(
            names = "--bootstrap-servers",
            description =
                    "Kafka brokers for telemetry and commands (default: none, a plain proxy).")
    String bootstrapServers;

    @Option(
            names = "--kafka-properties",
            description =
                    "Kafka client settings (security.protocol, sasl.*, ssl.*) from a .properties file.")
    Path kafkaProperties;

    @Option(
            names = "--model",
            defaultValue = "llama3-8b",
            description = "Model of requests that name none (default ${DEFAULT-VALUE}).")
    String model;

    @Option(
            names = "--default-class",
            defaultValue = "interactive",
            description =
                    "Class of requests without a header or tenant (default ${DEFAULT-VALUE}).")
    String defaultClass;

    @Option(
            names = "--tenant",
            description =
                    "API key to class, KEY=interactive|batch; repeatable. The key is the Bearer token.")
    Map<String, String> tenants = new LinkedHashMap<>();

    @Option(
            names = "--tenant-file",
            description =
                    "API keys to classes from a .properties file (KEY=interactive|batch), e.g. a"
                            + " mounted Secret; keys are never printed.")
    Path tenantFile;

    @Option(
            names = "--max-queued",
            defaultValue = "10000",
            description =
                    "Requests the global queue holds at most; beyond, 429 with Retry-After (default ${DEFAULT-VALUE}).")
    int maxQueued;

    @Option(
            names = "--max-wait",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "How long an interactive request waits for an instance, also while a pool scales from zero; beyond, 503 with Retry-After (default ${DEFAULT-VALUE}).")
    Duration maxWait;

    @Option(
            names = "--max-num-seqs",
            defaultValue = "256",
            description =
                    "vLLM's --max-num-seqs of the instances: the cap's ceiling (default ${DEFAULT-VALUE}).")
    int maxNumSeqs;

    @Option(names = "--verbose", description = "Show the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        int colon = listen.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--listen: '" + listen + "' is not HOST:PORT");
        }
        String host = colon <= 0 ? "0.0.0.0" : listen.substring(0, colon);
        List<BackendSpec> specs = new ArrayList<>();
        for (String b : backends) {
            specs.add(BackendSpec.parse(b, maxNumSeqs));
        }
        if (specs.isEmpty() && discovery == null && kubernetesServices.isEmpty()) {
            throw new IllegalArgumentException(
                    "give --backends, --discovery-url or --kubernetes-service: the gateway needs"
                            + " instances to route to");
        }
        Map<String, RequestClass> classes = new LinkedHashMap<>();
        if (tenantFile != null) {
            java.util.Properties p = new java.util.Properties();
            try (var in = java.nio.file.Files.newBufferedReader(tenantFile)) {
                p.load(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(
                        "--tenant-file: cannot read " + tenantFile + ": " + e.getMessage());
            }
            p.stringPropertyNames()
                    .forEach(
                            k ->
                                    classes.put(
                                            k,
                                            requestClass(
                                                    p.getProperty(k),
                                                    "--tenant-file "
                                                            + tenantFile
                                                            + ": a key's class")));
        }
        tenants.forEach((k, v) -> classes.put(k, requestClass(v, "--tenant (a key's class)")));
        Map<String, String> client =
                kafkaProperties == null ? Map.of() : KafkaClientProperties.load(kafkaProperties);
        if (bootstrapServers != null) {
            KafkaReachability.check(
                    bootstrapServers,
                    "--bootstrap-servers",
                    client,
                    KafkaReachability.DEFAULT_TIMEOUT);
        }
        GatewayConfig d = GatewayConfig.defaults();
        GatewayConfig c =
                new GatewayConfig(
                        host,
                        port,
                        specs,
                        discovery,
                        bootstrapServers,
                        client,
                        d.requestsTopic(),
                        d.heartbeatsTopic(),
                        d.commandsTopic(),
                        model,
                        requestClass(defaultClass, "--default-class"),
                        classes,
                        d.batchDeadline(),
                        d.ttftSloMs(),
                        d.interactiveItlSloMs(),
                        d.batchItlSloMs(),
                        maxQueued,
                        maxWait,
                        d.scrapeInterval(),
                        d.batchPriority(),
                        maxNumSeqs);
        CountDownLatch stop = new CountDownLatch(1);
        KubernetesDiscovery k8s = null;
        if (!kubernetesServices.isEmpty()) {
            KubernetesClient kube = new KubernetesClientBuilder().build();
            String ns = kubernetesNamespace != null ? kubernetesNamespace : kube.getNamespace();
            k8s = new KubernetesDiscovery(kube, ns == null ? "default" : ns, kubernetesServices);
        }
        try (Gateway g = Gateway.start(c, System.out::println, k8s)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println(
                    bootstrapServers == null
                            ? "no --bootstrap-servers: no telemetry and no commands (a plain proxy with caps at --max-num-seqs)"
                            : "telemetry to "
                                    + bootstrapServers
                                    + "; admission caps from chiron.commands");
            stop.await();
        }
        return 0;
    }

    private static RequestClass requestClass(String v, String flag) {
        try {
            return RequestClass.valueOf(v.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": '" + v + "'; allowed: interactive, batch");
        }
    }
}
