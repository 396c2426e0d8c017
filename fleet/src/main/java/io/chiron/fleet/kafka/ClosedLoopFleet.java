package io.chiron.fleet.kafka;

import io.chiron.fleet.sim.Fleet;
import io.chiron.records.AvroCodec;
import io.chiron.records.FleetCommand;
import io.chiron.records.MalformedRecordException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a simulated {@link Fleet} in a closed loop over Kafka: its clock advances at {@code speedup}
 * times wall-clock time, its telemetry goes to Kafka as it happens, and it obeys the {@link
 * FleetCommand}s that arrive on the command topic, the way instance agents and a gateway would.
 * Commands are target states; each command id is applied once.
 */
public final class ClosedLoopFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClosedLoopFleet.class);

    /** A command the fleet applied, with when it was decided and when it took effect. */
    public record Applied(FleetCommand command, long appliedAtEpochMs, String outcome) {
        /** Simulated time from the decision to its effect, ms. */
        public long lagMs() {
            return appliedAtEpochMs - command.getTsMs();
        }
    }

    private final Fleet fleet;
    private final KafkaTelemetry telemetry;
    private final KafkaConsumer<String, byte[]> commands;
    private final AvroCodec<FleetCommand> codec = AvroCodec.of(FleetCommand.class);
    private final double speedup;
    private final Set<String> seen = new HashSet<>();
    private final List<Applied> applied = Collections.synchronizedList(new ArrayList<>());
    private long malformedCommands;
    private volatile boolean stopRequested;

    /**
     * @param fleet the fleet, built with {@code telemetry} as its listener
     * @param speedup simulated seconds per wall-clock second
     */
    public ClosedLoopFleet(
            Fleet fleet,
            KafkaTelemetry telemetry,
            String bootstrapServers,
            String commandsTopic,
            double speedup) {
        this(fleet, telemetry, bootstrapServers, Map.of(), commandsTopic, speedup);
    }

    /**
     * @param clientProperties Kafka client settings of the command consumer (security.protocol,
     *     sasl.*, ssl.*)
     */
    public ClosedLoopFleet(
            Fleet fleet,
            KafkaTelemetry telemetry,
            String bootstrapServers,
            Map<String, String> clientProperties,
            String commandsTopic,
            double speedup) {
        if (!(speedup > 0)) {
            throw new IllegalArgumentException("speedup must be > 0, was " + speedup);
        }
        this.fleet = fleet;
        this.telemetry = telemetry;
        this.speedup = speedup;
        Map<String, Object> config = new java.util.HashMap<>(clientProperties);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "chiron-fleet-" + fleet.model());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "chiron-fleet-commands");
        // The actuator writes commands in transactions: committed only.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.commands =
                new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        commands.subscribe(List.of(commandsTopic));
    }

    /**
     * Runs until simulated time {@code untilMs} (ms since the start), calling {@code progress}
     * about once per wall-clock second.
     */
    public void run(double untilMs, Consumer<Fleet> progress) {
        run(untilMs, false, progress);
    }

    /**
     * Runs on until the fleet has no work left (every arrival seen, nothing queued or running) or
     * simulated time {@code capMs}, whichever comes first: after the arrivals stop, so that every
     * request has an outcome when the run is judged, as the simulator's runs do.
     */
    public void drain(double capMs, Consumer<Fleet> progress) {
        run(capMs, true, progress);
    }

    private void run(double untilMs, boolean untilDrained, Consumer<Fleet> progress) {
        long wallStart = System.nanoTime();
        double simStart = fleet.now();
        long lastProgress = wallStart;
        while (fleet.now() < untilMs && !stopRequested && !(untilDrained && fleet.drained())) {
            // The poll's wait is the loop's pacing: a few ms of wall time per step.
            for (ConsumerRecord<String, byte[]> r : commands.poll(Duration.ofMillis(5))) {
                apply(r);
            }
            double wallMs = (System.nanoTime() - wallStart) / 1e6;
            fleet.advanceTo(Math.min(untilMs, simStart + wallMs * speedup));
            telemetry.checkHealthy();
            long nowNanos = System.nanoTime();
            if (nowNanos - lastProgress >= 1_000_000_000L) {
                lastProgress = nowNanos;
                progress.accept(fleet);
            }
        }
        telemetry.flush();
        progress.accept(fleet);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        FleetCommand command;
        try {
            command = codec.decode(record.value());
        } catch (MalformedRecordException e) {
            malformedCommands++;
            LOG.warn(
                    "skipped a malformed command at {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        if (!seen.add(command.getCommandId())) {
            return; // applied already: a redelivery
        }
        String outcome = fleet.apply(command);
        applied.add(new Applied(command, fleet.nowEpochMs(), outcome));
        LOG.info("applied {} ({}): {}", command.getCommandId(), command.getType(), outcome);
    }

    /** Asks {@link #run} to return at its next step. */
    public void stop() {
        stopRequested = true;
    }

    public List<Applied> applied() {
        synchronized (applied) {
            return List.copyOf(applied);
        }
    }

    public long malformedCommands() {
        return malformedCommands;
    }

    public double speedup() {
        return speedup;
    }

    @Override
    public void close() {
        commands.close();
    }
}
