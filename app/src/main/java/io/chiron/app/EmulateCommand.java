package io.chiron.app;

import io.chiron.emulator.Emulator;
import io.chiron.records.InstanceRole;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code chiron emulate}: N emulated vLLM instances on real ports. */
@Command(
        name = "emulate",
        mixinStandardHelpOptions = true,
        description = {
            "Starts N emulated vLLM instances, each a real HTTP server on its own port (P to"
                    + " P+N-1): the OpenAI API (/v1/completions, /v1/chat/completions with SSE,"
                    + " /v1/models), /health and vLLM's /metrics, backed by the simulator's"
                    + " calibrated instance model (H100, Llama-3-8B profile) in real time or"
                    + " faster. With --control-port, an endpoint lists the instances (GET"
                    + " /instances) and takes the actuator's webhook (POST /commands:"
                    + " SET_REPLICAS adds instances after a cold start or drains some).",
            "Runs until interrupted; prints a status line per change."
        })
final class EmulateCommand implements Callable<Integer> {
    @Option(
            names = "--instances",
            defaultValue = "1",
            description = "Instances to start (default ${DEFAULT-VALUE}).")
    int instances;

    @Option(
            names = "--port",
            defaultValue = "8000",
            description = "Port of the first instance (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--roles",
            description =
                    "Role of each instance, comma-separated and cycled (interactive, mixed,"
                            + " batch; default: mixed). The role is a label for the gateway, as a"
                            + " pod label would be; every instance serves every request.")
    String roles;

    @Option(
            names = "--max-num-seqs",
            defaultValue = "256",
            description =
                    "vLLM's --max-num-seqs of every instance, fixed at start (default ${DEFAULT-VALUE}).")
    int maxNumSeqs;

    @Option(
            names = "--scheduling-policy",
            defaultValue = "priority",
            description =
                    "vLLM's --scheduling-policy: priority (requests with a positive priority are"
                            + " batch work, preempted for the others) or fcfs (default ${DEFAULT-VALUE}).")
    String schedulingPolicy;

    @Option(
            names = "--speed",
            defaultValue = "1",
            description =
                    "Emulated seconds per wall-clock second (default ${DEFAULT-VALUE}: real time).")
    double speed;

    @Option(
            names = "--cold-start",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description =
                    "Cold start of an instance added through the control endpoint, emulated time (default ${DEFAULT-VALUE}).")
    Duration coldStart;

    @Option(
            names = "--control-port",
            defaultValue = "0",
            description = "Port of the control endpoint (default: none).")
    int controlPort;

    @Option(
            names = "--model",
            defaultValue = "llama3-8b",
            description = "Model name served (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--verbose", description = "Show the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        if (instances < 0 || instances > 1000) {
            throw new IllegalArgumentException("--instances must be in 0..1000, not " + instances);
        }
        if (port < 1 || port + instances - 1 > 65535) {
            throw new IllegalArgumentException(
                    "--port "
                            + port
                            + " leaves no room for "
                            + instances
                            + " instance(s) below 65536");
        }
        boolean priority =
                switch (schedulingPolicy.toLowerCase(Locale.ROOT)) {
                    case "priority" -> true;
                    case "fcfs" -> false;
                    default ->
                            throw new IllegalArgumentException(
                                    "--scheduling-policy: '"
                                            + schedulingPolicy
                                            + "'; allowed: priority, fcfs");
                };
        List<InstanceRole> cycle = parseRoles(roles);
        List<InstanceRole> each = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            each.add(cycle.get(i % cycle.size()));
        }
        Emulator.Options o =
                new Emulator.Options(
                        model, maxNumSeqs, priority, speed, coldStart, 131_072, "127.0.0.1");
        CountDownLatch stop = new CountDownLatch(1);
        try (Emulator e = Emulator.start(o, each, port, controlPort, System.out::println)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            if (e.controlPort() > 0) {
                System.out.println(
                        "control endpoint on http://127.0.0.1:"
                                + e.controlPort()
                                + " (GET /instances, POST /commands)");
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d emulated vLLM instance(s) of %s, max-num-seqs %d, %s scheduling, x%s speed. Ctrl-C stops.%n",
                    instances,
                    model,
                    maxNumSeqs,
                    priority ? "priority" : "fcfs",
                    speed);
            stop.await();
        }
        return 0;
    }

    static List<InstanceRole> parseRoles(String roles) {
        List<InstanceRole> out = new ArrayList<>();
        if (roles == null || roles.isBlank()) {
            out.add(InstanceRole.MIXED);
            return out;
        }
        for (String r : roles.split(",")) {
            try {
                out.add(InstanceRole.valueOf(r.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--roles: '" + r.strip() + "'; allowed: interactive, mixed, batch");
            }
        }
        return out;
    }
}
