package io.chiron.app;

import io.chiron.core.RoleCounts;
import io.chiron.fleet.kafka.ClosedLoopFleet;
import io.chiron.fleet.kafka.KafkaTelemetry;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.SimConfig;
import io.chiron.fleet.trace.Trace;
import io.chiron.fleet.workload.Workload;
import io.chiron.fleet.workload.WorkloadSpec;
import io.chiron.kafka.KafkaClientProperties;
import io.chiron.kafka.KafkaReachability;
import io.chiron.records.Topic;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code chiron fleet}: the simulated fleet as a service on a real Kafka, for a cluster deployment
 * (docker/compose.yaml): it serves a trace, sends its telemetry, and obeys the job's commands.
 */
@Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the simulated fleet against a Kafka cluster: it serves a trace on simulated"
                    + " H100 instances, sends request events and heartbeats to the telemetry"
                    + " topics, and obeys the commands the job writes to chiron.commands. The"
                    + " topics must exist (create them with chiron topics)."
        })
final class FleetServiceCommand implements Callable<Integer> {
    @Mixin WorkloadOptions workload;

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "localhost:9092",
            description = "Kafka brokers (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--kafka-properties",
            description =
                    "Kafka client settings (security.protocol, sasl.*, ssl.*); $${VAR} in a value"
                            + " is read from the environment.")
    Path kafkaProperties;

    @Option(
            names = "--speedup",
            defaultValue = "1",
            description =
                    "Simulated seconds per wall second (default ${DEFAULT-VALUE}: live, as the"
                            + " job's windows expect on a cluster).")
    double speedup;

    @Option(
            names = "--initial",
            defaultValue = "2,1,0",
            split = ",",
            description =
                    "Initial interactive, mixed and batch instances (default ${DEFAULT-VALUE}).")
    int[] initial;

    @Override
    public Integer call() throws Exception {
        if (!(speedup > 0) || speedup > 1000) {
            throw new IllegalArgumentException("--speedup must be in (0, 1000], was " + speedup);
        }
        if (initial.length != 3 || java.util.Arrays.stream(initial).anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException(
                    "--initial must be three counts >= 0 (interactive,mixed,batch)");
        }
        Map<String, String> client =
                kafkaProperties == null ? Map.of() : KafkaClientProperties.load(kafkaProperties);
        KafkaReachability.check(
                bootstrapServers, "--bootstrap-servers", client, KafkaReachability.DEFAULT_TIMEOUT);
        PrintStream console = System.out;
        WorkloadSpec spec = workload.spec();
        Trace trace = Trace.load(workload.trace, spec.seed()).from(workload.traceStart.toMillis());
        Workload w = Workload.build(trace, spec, System.currentTimeMillis() / 1000 * 1000);
        SimConfig sim = new SimConfig();
        sim.initialInstances = RoleCounts.of(initial[0], initial[1], initial[2]);
        Duration length = spec.duration();
        console.printf(
                "fleet: %s trace, %s scenario, %s instances, %s simulated at x%s, on %s%n",
                workload.trace,
                spec.scenario().cliName(),
                sim.initialInstances,
                length,
                speedup,
                bootstrapServers);
        try (KafkaTelemetry telemetry =
                new KafkaTelemetry(
                        bootstrapServers,
                        client,
                        Topic.REQUESTS.defaultName(),
                        Topic.HEARTBEATS.defaultName())) {
            Fleet fleet = new Fleet(sim, w, telemetry);
            long[] lastPrint = {0};
            try (ClosedLoopFleet loop =
                    new ClosedLoopFleet(
                            fleet,
                            telemetry,
                            bootstrapServers,
                            client,
                            Topic.COMMANDS.defaultName(),
                            speedup)) {
                loop.run(
                        length.toMillis(),
                        f -> {
                            long now = System.nanoTime();
                            if (now - lastPrint[0] > 10_000_000_000L) {
                                lastPrint[0] = now;
                                console.println(FleetStatus.line(f));
                            }
                        });
                console.printf(
                        "fleet: done, %,d telemetry records sent, %d commands obeyed%n",
                        telemetry.sent(), loop.applied().size());
            }
        }
        return 0;
    }
}
