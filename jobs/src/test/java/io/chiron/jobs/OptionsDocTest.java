package io.chiron.jobs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OptionsDocTest {

    @Test
    void theCommittedReferenceMatchesTheCode() throws Exception {
        Path doc = Path.of("..", "docs", "configuration.md");
        assertThat(Files.readString(doc))
                .as(
                        "docs/configuration.md is stale: run ./chiron options --markdown > docs/configuration.md")
                .isEqualTo(OptionsDoc.markdown());
    }

    @Test
    void everyOptionHasADescription() {
        assertThat(OptionsDoc.jobOptions()).allSatisfy(r -> assertThat(r[2]).isNotBlank());
        assertThat(OptionsDoc.jobOptions())
                .extracting(r -> r[0])
                .contains("chiron.kafka.bootstrap-servers");
    }
}
