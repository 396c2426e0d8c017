package io.chiron.jobs;

import io.chiron.core.Setting;
import io.chiron.core.Settings;
import io.chiron.policy.ChironConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration reference, generated from the settings themselves so the docs cannot drift: the
 * job's and the actuator's ({@link JobOptions#settings()}) and the policy's ({@link
 * ChironConfig#settings()}).
 */
public final class OptionsDoc {
    private OptionsDoc() {}

    /** Every key a user may set: the job's, the actuator's and the policy's. */
    public static Settings registry() {
        return JobOptions.settings().plus(ChironConfig.settings());
    }

    /** The job's and the actuator's options: key, default, allowed, description. */
    public static List<String[]> jobOptions() {
        return rows(JobOptions.settings());
    }

    /** The policy's constants: key, default, allowed, description. */
    public static List<String[]> policyConstants() {
        return rows(ChironConfig.settings());
    }

    private static List<String[]> rows(Settings settings) {
        List<String[]> rows = new ArrayList<>();
        for (Setting<?> s : settings.all()) {
            rows.add(
                    new String[] {
                        s.key(),
                        s.defaultValue() == null ? "(none)" : Setting.show(s.defaultValue()),
                        s.allowed(),
                        s.description()
                    });
        }
        return rows;
    }

    /** The reference as Markdown, docs/configuration.md. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append(
                        "Generated from the code by `./chiron options --markdown`; a test keeps"
                                + " this file in step. A value outside its range, or constants"
                                + " that contradict each other, stop the job with the key, the"
                                + " value and what is allowed. Durations read as 500ms, 5s, 2min,"
                                + " 1h30m or PT5S everywhere.\n\n")
                .append("## The job (`--key value` to `ChironJob`)\n\n");
        table(md, jobOptions());
        md.append("\n## The policy (`ChironConfig`; `--key value` to the job, `--set key=value`")
                .append(" to the simulator)\n\n");
        table(md, policyConstants());
        return md.toString();
    }

    private static void table(StringBuilder md, List<String[]> rows) {
        md.append("| key | default | allowed | description |\n| --- | --- | --- | --- |\n");
        for (String[] r : rows) {
            md.append("| `")
                    .append(r[0])
                    .append("` | ")
                    .append(r[1])
                    .append(" | ")
                    .append(r[2])
                    .append(" | ")
                    .append(r[3].replace("|", "\\|"))
                    .append(" |\n");
        }
    }
}
