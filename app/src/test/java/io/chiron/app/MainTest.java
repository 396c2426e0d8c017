package io.chiron.app;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            assertThat(run(command, "--help")).as(command).isZero();
        }
        assertThat(out.toString()).contains("demo").contains("--minutes");
    }

    @Test
    void aBadValueNamesTheOptionTheValueAndWhatIsAllowed() {
        assertThat(run("demo", "--minutes", "-3")).isEqualTo(2);
        assertThat(err.toString()).contains("--minutes").contains("-3").contains("(0, 1440]");
    }

    @Test
    void aNegativeBatchBulkIsRefusedByItsFlagBeforeAnythingStarts() {
        assertThat(run("demo", "--batch-bulk", "-5")).isEqualTo(2);
        assertThat(run("simulate", "--trace", "azure-conv", "--batch-bulk", "-5")).isEqualTo(2);
        assertThat(err.toString()).contains("--batch-bulk must be >= 0, was -5");
    }

    @Test
    void theGatewayAndTheEmulatorNameTheFlagAndWhatIsAllowed() {
        assertThat(run("gateway")).isEqualTo(2);
        assertThat(err.toString()).contains("--backends, --discovery-url or --kubernetes-service");
        assertThat(run("gateway", "--backends", "chef@http://127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString()).contains("'chef'").contains("interactive, mixed, batch");
        assertThat(run("gateway", "--backends", "ftp://x")).isEqualTo(2);
        assertThat(err.toString()).contains("is not [role@]http://HOST:PORT");
        assertThat(run("gateway", "--backends", "http://127.0.0.1:1", "--default-class", "vip"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--default-class: 'vip'; allowed: interactive, batch");
        assertThat(run("emulate", "--scheduling-policy", "lottery")).isEqualTo(2);
        assertThat(err.toString())
                .contains("--scheduling-policy: 'lottery'; allowed: priority, fcfs");
        assertThat(run("emulate", "--max-num-seqs", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--max-num-seqs must be at least 1, not 0");
    }

    @Test
    void anUnknownScenarioListsTheAllowedOnes() {
        assertThat(run("demo", "--scenario", "chaos")).isEqualTo(2);
        assertThat(err.toString()).contains("chaos").contains("interactive").contains("mixed");
    }

    @Test
    void anUnreadableKafkaPropertiesFileIsNamedBeforeAnythingConnects() {
        for (String command : new String[] {"fleet", "topics", "sql"}) {
            assertThat(run(command, "--kafka-properties", "no/such.properties"))
                    .as(command)
                    .isEqualTo(2);
        }
        assertThat(err.toString())
                .contains("cannot read the Kafka client properties file no/such.properties");
    }

    @Test
    void anUnknownSubcommandFailsEvenWithHelp() {
        assertThat(run("nope", "--help")).isEqualTo(2);
        assertThat(err.toString()).contains("nope");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        assertThat(run("demo", "--minuets", "3")).isEqualTo(2);
        assertThat(err.toString()).contains("--minuets");
    }

    @Test
    void anUnreachableBrokerIsOneLineNamingTheAddressAndTheFlag() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String address = "127.0.0.1:" + port;
        for (String command : new String[] {"topics", "sql"}) {
            assertThat(run(command, "--bootstrap-servers", address)).as(command).isEqualTo(2);
        }
        assertThat(err.toString())
                .contains("cannot reach Kafka at " + address + " (--bootstrap-servers) within 5 s")
                .doesNotContain("\tat ")
                .doesNotContain("Exception in thread");
    }
}
