package io.chiron.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientPropertiesTest {
    @TempDir Path dir;

    @Test
    void readsTheFileAndTakesSecretsFromTheEnvironment() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                        + " required username=\"chiron\" password=\"${KAFKA_PASSWORD}\";\n");
        Map<String, String> p =
                KafkaClientProperties.load(file, Map.of("KAFKA_PASSWORD", "s3cr$t")::get);
        assertThat(p)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(p.get("sasl.jaas.config")).endsWith("password=\"s3cr$t\";");
        assertThat(KafkaClientProperties.masked(p).values()).containsOnly("******");
    }

    @Test
    void aMissingVariableIsNamedAndItsValueNeverShown() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "ssl.keystore.password=${KEYSTORE_PASSWORD}\n");
        assertThatThrownBy(() -> KafkaClientProperties.load(file, name -> null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssl.keystore.password")
                .hasMessageContaining("KEYSTORE_PASSWORD, which is not set");
    }

    @Test
    void settingsChironOwnsAreRefused() throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=elsewhere:9092\n");
        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .hasMessageContaining("sets bootstrap.servers, which Chiron sets itself");
    }
}
