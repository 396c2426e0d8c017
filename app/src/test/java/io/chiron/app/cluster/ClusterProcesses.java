package io.chiron.app.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Kafka broker and a Flink session cluster as separate processes, started from the jars of the
 * build (Maven Central artifacts), as an operator would run them: {@code kafka.Kafka} with a KRaft
 * {@code server.properties}, {@code StandaloneSessionClusterEntrypoint} and {@code
 * TaskManagerRunner} with a {@code config.yaml}, jobs submitted through {@code CliFrontend} as
 * {@code flink run} does. Every process is killed on {@link #close()}.
 */
final class ClusterProcesses implements AutoCloseable {
    /** The JVM options Flink's own scripts pass on JDK 17 (docker/flink/config.yaml). */
    static final List<String> JDK17_OPTS =
            List.of(
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.chiron.records");

    private final Path dir;
    private final Path lib;
    private final List<Process> processes = new ArrayList<>();

    /** Ports this cluster already chose: the OS may hand a just-released port out again. */
    private final Set<Integer> chosen = new HashSet<>();

    final int kafkaPort;
    final int restPort;
    private final Path flinkConf;
    private int taskManagers;

    ClusterProcesses(Path dir, Path lib) throws IOException {
        this.dir = dir;
        this.lib = lib;
        this.kafkaPort = freePort();
        this.restPort = freePort();
        this.flinkConf = Files.createDirectories(dir.resolve("flink-conf"));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Formats a KRaft log directory and starts {@code kafka.Kafka} on it. */
    void startKafka() throws Exception {
        int controller = freePort();
        Path logs = Files.createDirectories(dir.resolve("kafka-logs"));
        Path props = dir.resolve("server.properties");
        Files.writeString(
                props,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controller,
                        "listeners=PLAINTEXT://127.0.0.1:"
                                + kafkaPort
                                + ",CONTROLLER://127.0.0.1:"
                                + controller,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "log.dirs=" + logs,
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "num.network.threads=2",
                        "num.io.threads=2",
                        ""));
        Process format =
                java(
                        "kafka-format",
                        lib(j -> true),
                        List.of(),
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                        "-c",
                        props.toString());
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException(
                    "formatting the broker's storage failed: " + log("kafka-format"));
        }
        processes.remove(format);
        java("kafka", lib(j -> true), List.of("-Xmx512m"), "kafka.Kafka", props.toString());
    }

    /** Writes the Flink configuration and starts the JobManager. */
    void startJobManager() throws Exception {
        int rpc = freePort();
        Files.writeString(
                flinkConf.resolve("config.yaml"),
                String.join(
                        "\n",
                        "jobmanager.rpc.address: 127.0.0.1",
                        "jobmanager.rpc.port: " + rpc,
                        "jobmanager.bind-host: 127.0.0.1",
                        "jobmanager.memory.process.size: 1024m",
                        "taskmanager.host: 127.0.0.1",
                        "taskmanager.bind-host: 127.0.0.1",
                        "taskmanager.numberOfTaskSlots: 2",
                        // What Flink's start scripts derive (BashJavaUtils) and pass to a
                        // TaskManagerRunner started without them.
                        "taskmanager.cpu.cores: 2",
                        "taskmanager.memory.framework.heap.size: 128m",
                        "taskmanager.memory.task.heap.size: 384m",
                        "taskmanager.memory.framework.off-heap.size: 128m",
                        "taskmanager.memory.task.off-heap.size: 0m",
                        "taskmanager.memory.managed.size: 64m",
                        "taskmanager.memory.network.min: 64m",
                        "taskmanager.memory.network.max: 64m",
                        "taskmanager.memory.jvm-metaspace.size: 256m",
                        "taskmanager.memory.jvm-overhead.min: 192m",
                        "taskmanager.memory.jvm-overhead.max: 192m",
                        "rest.address: 127.0.0.1",
                        "rest.bind-address: 127.0.0.1",
                        "rest.port: " + restPort,
                        "parallelism.default: 1",
                        "heartbeat.timeout: 10000",
                        "heartbeat.interval: 2000",
                        "execution.checkpointing.dir: file://"
                                + Files.createDirectories(dir.resolve("checkpoints")),
                        ""));
        java(
                "jobmanager",
                flinkClasspath(),
                List.of("-Xmx512m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                "--configDir",
                flinkConf.toString());
    }

    /** Starts a TaskManager; returns its process, to kill. */
    Process startTaskManager() throws Exception {
        return java(
                "taskmanager-" + (++taskManagers),
                flinkClasspath(),
                List.of("-Xmx700m"),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                "--configDir",
                flinkConf.toString());
    }

    /** {@code flink run -d}: submits the job jar to the session cluster, returns the output. */
    String flinkRun(Path jobJar, String mainClass, List<String> args) throws Exception {
        List<String> cli =
                new ArrayList<>(List.of("run", "-d", "-c", mainClass, jobJar.toString()));
        cli.addAll(args);
        Process run =
                java(
                        "flink-run",
                        flinkClasspath(),
                        List.of("-Xmx512m"),
                        "org.apache.flink.client.cli.CliFrontend",
                        cli.toArray(String[]::new));
        if (!run.waitFor(3, TimeUnit.MINUTES) || run.exitValue() != 0) {
            throw new IllegalStateException("flink run failed: " + log("flink-run"));
        }
        processes.remove(run);
        return log("flink-run");
    }

    /** What a process wrote (stdout and stderr). */
    String log(String name) throws IOException {
        Path f = dir.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    /**
     * The classpath of a Flink distribution's lib/: Flink and its logging, without our code or the
     * job's own dependencies (the connector, Avro, Kafka's client), which come in the job jar.
     */
    private String flinkClasspath() throws IOException {
        return lib(
                name ->
                        !name.startsWith("chiron-")
                                && !name.startsWith("flink-connector-kafka")
                                && !name.startsWith("flink-avro")
                                && !name.startsWith("avro-")
                                && !name.startsWith("kafka")
                                && !name.startsWith("flink-table")
                                && !name.startsWith("flink-cep"));
    }

    private String lib(Predicate<String> keep) throws IOException {
        try (Stream<Path> jars = Files.list(lib)) {
            return jars.filter(j -> keep.test(j.getFileName().toString()))
                    .map(Path::toString)
                    .sorted()
                    .collect(Collectors.joining(File.pathSeparator));
        }
    }

    private Process java(
            String name, String classpath, List<String> jvm, String main, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(JDK17_OPTS);
        command.add("-Dlog4j2.configurationFile=" + log4j());
        command.add("-cp");
        command.add(classpath);
        command.add(main);
        command.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(Map.of("FLINK_CONF_DIR", flinkConf.toString()));
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private Path log4j() throws IOException {
        Path f = dir.resolve("log4j2.properties");
        if (!Files.exists(f)) {
            Files.writeString(
                    f,
                    String.join(
                            "\n",
                            "rootLogger.level = warn",
                            "rootLogger.appenderRef.console.ref = console",
                            "appender.console.type = Console",
                            "appender.console.name = console",
                            "appender.console.layout.type = PatternLayout",
                            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n",
                            ""));
        }
        return f;
    }

    private int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                if (chosen.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
