package io.chiron.app;

import io.chiron.embedded.EmbeddedKafka;
import io.chiron.records.Topic;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsCommandITCase {
    @Test
    void createsEveryTopicWithItsRetentionAndLeavesExistingOnes() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(1)) {
            String out1 =
                    run(
                            "topics",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--partitions",
                            "3",
                            "--telemetry-retention",
                            "2h");
            assertThat(out1).contains("8 of 8 topics created").contains("1 broker(s)");
            var admin = kafka.admin();
            var described =
                    admin.describeTopics(
                                    Arrays.stream(Topic.values()).map(Topic::defaultName).toList())
                            .allTopicNames()
                            .get();
            assertThat(described).hasSize(Topic.values().length);
            assertThat(described.get("chiron.requests").partitions()).hasSize(3);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(
                                    List.of(
                                            new ConfigResource(
                                                    ConfigResource.Type.TOPIC, "chiron.requests"),
                                            new ConfigResource(
                                                    ConfigResource.Type.TOPIC, "chiron.decisions")))
                            .all()
                            .get();
            assertThat(configs.values())
                    .extracting(c -> c.get("retention.ms").value())
                    .containsExactlyInAnyOrder("7200000", "604800000");

            String out2 = run("topics", "--bootstrap-servers", kafka.bootstrapServers());
            assertThat(out2).contains("0 of 8 topics created").contains("exists  chiron.requests");
        }
    }

    @Test
    void aReplicationFactorAboveTheBrokersIsRefusedWithTheNumbers() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(1)) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            var cli = Main.commandLine();
            cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            int rc =
                    cli.execute(
                            "topics",
                            "--bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--replication-factor",
                            "3");
            assertThat(rc).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("--replication-factor 3 exceeds the 1 broker(s)");
        }
    }

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
