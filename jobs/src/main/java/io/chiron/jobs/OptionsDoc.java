package io.chiron.jobs;

import io.chiron.policy.ChironConfig;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration reference, generated from the typed options themselves so the docs cannot
 * drift: the job's {@link JobOptions} and the policy's {@link ChironConfig}.
 */
public final class OptionsDoc {
    private OptionsDoc() {}

    /** Every option: key, default, description. */
    public static List<String[]> jobOptions() {
        List<String[]> rows = new ArrayList<>();
        HtmlFormatter formatter = new HtmlFormatter();
        for (Field f : fields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    rows.add(
                            new String[] {
                                o.key(),
                                o.hasDefaultValue() ? show(o.defaultValue()) : "(none)",
                                formatter.format(o.description())
                            });
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return rows;
    }

    private static List<Field> fields() {
        List<Field> all = new ArrayList<>(List.of(JobOptions.class.getFields()));
        all.addAll(List.of(ActuatorOptions.class.getFields()));
        return all;
    }

    private static String show(Object value) {
        if (value instanceof Duration d) {
            long s = d.toSeconds();
            return d.toMillis() % 1000 != 0
                    ? d.toMillis() + " ms"
                    : s % 60 == 0 && s > 0 ? s / 60 + " min" : s + " s";
        }
        return String.valueOf(value);
    }

    /** The reference as Markdown, docs/configuration.md. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append(
                        "Generated from the code by `./chiron options --markdown`; a test keeps this file in step.\n\n")
                .append("## The job (`--key value` to `ChironJob`, or `config.yaml`)\n\n")
                .append("| key | default | description |\n| --- | --- | --- |\n");
        for (String[] r : jobOptions()) {
            md.append("| `")
                    .append(r[0])
                    .append("` | ")
                    .append(r[1])
                    .append(" | ")
                    .append(r[2])
                    .append(" |\n");
        }
        md.append("\n## The policy (`ChironConfig`)\n\n")
                .append(
                        "A value outside its range, or constants that contradict each other, stop"
                                + " the job with the key, the value and what is allowed.\n\n")
                .append("| key | default | allowed | description |\n| --- | --- | --- | --- |\n");
        for (String[] r : ChironConfig.describe()) {
            md.append("| `")
                    .append(r[0])
                    .append("` | ")
                    .append(showPolicy(r[1]))
                    .append(" | ")
                    .append(r[3])
                    .append(" | ")
                    .append(r[2])
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String showPolicy(String value) {
        try {
            return show(Duration.parse(value));
        } catch (RuntimeException notADuration) {
            return value;
        }
    }
}
