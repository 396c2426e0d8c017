package io.chiron.app;

import io.chiron.records.AvroTrust;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chiron} command. */
@Command(
        name = "chiron",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "SLO-aware hierarchical autoscaler for LLM serving fleets, as a Flink pipeline over"
                    + " Kafka.",
            ""
        },
        subcommands = {
            DemoCommand.class,
            SimulateCommand.class,
            EvaluateCommand.class,
            ReplayCommand.class,
            ChaosCommand.class,
            EmulateCommand.class,
            GatewayCommand.class,
            OptionsCommand.class,
            BenchCommand.class,
            SqlCommand.class,
            FleetServiceCommand.class,
            TopicsCommand.class,
            CalibrateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        AvroTrust.install();
        System.exit(commandLine().execute(args));
    }

    /** The command line with Chiron's error handling: bad input names the option and exits 2. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // picocli lets a help option win over an unknown subcommand ("chiron nope --help" would
        // print the top-level help and exit 0): an unknown word is an error, help or not.
        cli.setExecutionStrategy(
                parseResult -> {
                    if (!parseResult.unmatched().isEmpty()) {
                        CommandLine c = parseResult.commandSpec().commandLine();
                        c.getErr()
                                .println(
                                        "chiron: unknown command or argument: "
                                                + parseResult.unmatched());
                        c.usage(c.getErr());
                        return 2;
                    }
                    return new CommandLine.RunLast().execute(parseResult);
                });
        cli.setExecutionExceptionHandler(
                (e, commandLine, parseResult) -> {
                    if (e instanceof IllegalArgumentException) {
                        commandLine.getErr().println("chiron: " + e.getMessage());
                        return 2;
                    }
                    if (parseResult.originalArgs().contains("--verbose")) {
                        throw e;
                    }
                    // A failure of the environment, said in one line; --verbose has the trace.
                    commandLine
                            .getErr()
                            .println(
                                    "chiron: "
                                            + commandLine.getCommandName()
                                            + " failed: "
                                            + rootMessage(e)
                                            + " (--verbose shows the stack trace)");
                    return 1;
                });
        return cli;
    }

    /** The innermost cause's message, with its type when it has none. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"chiron " + (v == null ? "(development build)" : v)};
        }
    }
}
