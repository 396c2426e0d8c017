package io.chiron.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluateCommandTest {
    @TempDir Path dir;

    private int evaluate(StringWriter err, String... extra) {
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        String[] base = {
            "evaluate",
            "--trace",
            "azure-code",
            "--scenario",
            "mixed",
            "--rate-multiplier",
            "2",
            "--duration",
            "5m",
            "--out",
            dir.toString()
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return cli.execute(args);
    }

    @Test
    void everyPolicyRunsOnEverySeedAndTheSummaryHasMeansAndTheWorstSeed() throws Exception {
        int rc = evaluate(new StringWriter(), "--policies", "chiron,oracle", "--seeds", "3-4,7");
        assertThat(rc).isZero();
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(s.get("seeds")).hasSize(3);
        assertThat(s.has("seed")).isFalse();
        // oracle is hindsight's old name.
        assertThat(s.get("policies").fieldNames())
                .toIterable()
                .containsExactly("chiron", "hindsight");
        JsonNode chiron = s.get("policies").get("chiron");
        JsonNode perSeed = chiron.get("per_seed");
        assertThat(perSeed.fieldNames()).toIterable().containsExactly("3", "4", "7");
        // The mean is the mean of the seeds; the worst seed holds the lowest value.
        double sum = 0;
        double lowest = 1;
        long arrived = 0;
        for (JsonNode run : perSeed) {
            sum += run.get("gpu_hours").asDouble();
            lowest = Math.min(lowest, run.get("interactive_slo_attainment").asDouble());
            arrived += run.get("classes").get("interactive").get("arrived").asLong();
        }
        assertThat(chiron.get("gpu_hours").asDouble()).isCloseTo(sum / 3, within(1e-9));
        assertThat(
                        chiron.get("worst_seed")
                                .get("interactive_slo_attainment")
                                .get("value")
                                .asDouble())
                .isEqualTo(lowest);
        // Counts are summed over the seeds.
        assertThat(chiron.get("classes").get("interactive").get("arrived").asLong())
                .isEqualTo(arrived);
        assertThat(dir.resolve("report.html")).exists();
        // Every contract key is there for every policy.
        for (JsonNode p : s.get("policies")) {
            assertThat(p.has("interactive_slo_attainment")).isTrue();
            assertThat(p.has("batch_slo_attainment")).isTrue();
        }
    }

    @Test
    void aClassWithoutRequestsKeepsItsAttainmentKeyAsNull() throws Exception {
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        int rc =
                cli.execute(
                        "evaluate",
                        "--trace",
                        "azure-code",
                        "--scenario",
                        "interactive",
                        "--duration",
                        "3m",
                        "--seeds",
                        "1,2",
                        "--policies",
                        "static",
                        "--out",
                        dir.toString());
        assertThat(rc).isZero();
        JsonNode p =
                new ObjectMapper()
                        .readTree(dir.resolve("summary.json").toFile())
                        .get("policies")
                        .get("static");
        assertThat(p.has("batch_slo_attainment")).isTrue();
        assertThat(p.get("batch_slo_attainment").isNull()).isTrue();
    }

    @Test
    void aBadSeedListNamesWhatIsAllowed() {
        StringWriter err = new StringWriter();
        assertThat(evaluate(err, "--policies", "chiron", "--seeds", "5-x")).isEqualTo(2);
        assertThat(err.toString()).contains("--seeds").contains("5-x");
    }
}
