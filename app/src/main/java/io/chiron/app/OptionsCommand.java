package io.chiron.app;

import io.chiron.jobs.OptionsDoc;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chiron options}: every configuration key, its default and what it means. */
@Command(
        name = "options",
        mixinStandardHelpOptions = true,
        description = "Lists every option of the Flink job and every constant of the policy.")
final class OptionsCommand implements Callable<Integer> {
    @Option(
            names = "--markdown",
            description = "Print docs/configuration.md instead of a plain list.")
    boolean markdown;

    @Override
    public Integer call() {
        if (markdown) {
            System.out.print(OptionsDoc.markdown());
            return 0;
        }
        List<String[]> rows = new ArrayList<>(OptionsDoc.jobOptions());
        rows.addAll(OptionsDoc.policyConstants());
        for (String[] r : rows) {
            System.out.printf("%-42s %-12s %-24s %s%n", r[0], r[1], r[2], r[3]);
        }
        return 0;
    }
}
