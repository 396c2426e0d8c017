package io.chiron.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {
    @TempDir Path dir;

    private JsonNode simulate(String out, String... extra) throws Exception {
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(new StringWriter()));
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "simulate",
                                "--trace",
                                "azure-code",
                                "--scenario",
                                "mixed",
                                "--policy",
                                "chiron",
                                "--instances",
                                "6",
                                "--rate-multiplier",
                                "5",
                                "--duration",
                                "10m",
                                "--seed",
                                "9",
                                "--out",
                                dir.resolve(out).toString()));
        if (List.of(extra).contains("--policy")) {
            int at = args.indexOf("--policy");
            args.subList(at, at + 2).clear(); // the caller's policy instead of chiron
        }
        args.addAll(List.of(extra));
        int rc = cli.execute(args.toArray(String[]::new));
        assertThat(rc).isZero();
        return new ObjectMapper().readTree(dir.resolve(out).resolve("summary.json").toFile());
    }

    @Test
    void theSameSeedGivesTheSameSummaryWallTimeAside() throws Exception {
        JsonNode a = simulate("a");
        JsonNode b = simulate("b");
        assertThat(a.get("wall_seconds").asDouble()).isPositive();
        ((ObjectNode) a).remove("wall_seconds");
        ((ObjectNode) b).remove("wall_seconds");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void theSummaryHoldsTheContractKeys() throws Exception {
        JsonNode s = simulate("c");
        assertThat(s.fieldNames())
                .toIterable()
                .contains(
                        "trace",
                        "scenario",
                        "seed",
                        "simulated_seconds",
                        "horizon_seconds",
                        "wall_seconds",
                        "gpu_hours_lower_bound",
                        "policies");
        // Arrivals stop at 10 min; the run goes on until the work is done, within the horizon:
        // the last bulk (at 1 min) is due at 61 min, plus 10 min.
        assertThat(s.get("horizon_seconds").asDouble()).isEqualTo(71 * 60.0);
        assertThat(s.get("simulated_seconds").asDouble()).isBetween(600.0, 71 * 60.0);
        JsonNode chiron = s.get("policies").get("chiron");
        assertThat(chiron.fieldNames())
                .toIterable()
                .contains(
                        "interactive_slo_attainment",
                        "batch_slo_attainment",
                        "gpu_hours",
                        "output_tokens_per_gpu_hour",
                        "throughput_rps",
                        "goodput_rps",
                        "scaling_actions",
                        "preemptions",
                        "guard_rejections",
                        "classes");
        assertThat(chiron.get("gpu_hours").asDouble()).isPositive();
        for (String c : new String[] {"interactive", "batch"}) {
            JsonNode k = chiron.get("classes").get(c);
            assertThat(k.get("arrived").asLong())
                    .isPositive()
                    .isEqualTo(
                            k.get("met").asLong()
                                    + k.get("missed_late").asLong()
                                    + k.get("missed_dropped").asLong()
                                    + k.get("missed_unfinished").asLong());
        }
        assertThat(dir.resolve("c").resolve("decisions.jsonl")).exists();
    }

    @Test
    void chironsRunsReplayTheForecastersOnTheDemandTheySaw() throws Exception {
        // Ten minutes of arrivals and on until the work is done: a look each 15 s, and every
        // forecaster judged on the same steps (6 of history before, 75 s = a 60 s cold start and
        // a 15 s period after).
        JsonNode b = simulate("backtest").get("forecast_backtest");
        assertThat(b.get("horizon_seconds").asInt()).isEqualTo(75);
        assertThat(b.get("mean_demand").asDouble()).isPositive();
        for (String f : List.of("last-30s", "trend", "holt", "holt-sized", "last-30s-sized")) {
            JsonNode e = b.get(f);
            assertThat(e.get("steps").asInt())
                    .as(f)
                    .isGreaterThanOrEqualTo(40 - 6 - 5 + 1)
                    .isEqualTo(b.get("last-30s").get("steps").asInt());
            assertThat(e.get("mae").asDouble()).as(f).isGreaterThanOrEqualTo(0);
            assertThat(e.get("mae").asDouble())
                    .as("%s: |bias| <= MAE", f)
                    .isGreaterThanOrEqualTo(Math.abs(e.get("bias").asDouble()) - 1e-12);
            assertThat(e.get("short_fraction").asDouble()).as(f).isBetween(0.0, 1.0);
        }
        // A baseline forecasts nothing.
        assertThat(simulate("static", "--policy", "static").has("forecast_backtest")).isFalse();
    }

    @Test
    void anUnknownPolicyListsTheKnownOnes() {
        var err = new StringWriter();
        int rc = simulateOneMinute(err, "--policy", "magic");
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("magic").contains("chiron").contains("static");
    }

    /** A minute of azure-code through {@code chiron simulate} with {@code flags}; stderr to err. */
    private static int simulateOneMinute(StringWriter err, String... flags) {
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        var args = new ArrayList<>(List.of("simulate", "--trace", "azure-code"));
        args.addAll(List.of(flags));
        args.addAll(List.of("--duration", "1m"));
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void predictiveOffIsTheReactivePolicy() throws Exception {
        // --predictive off is --set chiron.global.forecast=off: the same run, decision by decision.
        JsonNode off = simulate("off", "--predictive", "off");
        JsonNode set = simulate("set", "--set", "chiron.global.forecast=off");
        ((ObjectNode) off).remove("wall_seconds");
        ((ObjectNode) set).remove("wall_seconds");
        assertThat(off).isEqualTo(set);
        assertThat(dir.resolve("off").resolve("decisions.jsonl"))
                .hasSameTextualContentAs(dir.resolve("set").resolve("decisions.jsonl"));
        // And not the default: the forecast sizes the pool differently on this rising load.
        assertThat(dir.resolve("off").resolve("decisions.jsonl").toFile())
                .content()
                .isNotEqualTo(java.nio.file.Files.readString(simulatePath("on")));
    }

    private Path simulatePath(String out) throws Exception {
        simulate(out);
        return dir.resolve(out).resolve("decisions.jsonl");
    }

    @Test
    void aBadPredictiveValueNamesTheFlag() {
        var err = new StringWriter();
        int rc = simulateOneMinute(err, "--predictive", "maybe");
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--predictive").contains("maybe").contains("on or off");
        // Contradicting --set is refused, not silently overridden.
        rc =
                simulateOneMinute(
                        new StringWriter(),
                        "--predictive",
                        "off",
                        "--set",
                        "chiron.global.forecast=holt");
        assertThat(rc).isEqualTo(2);
    }
}
