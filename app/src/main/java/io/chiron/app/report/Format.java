package io.chiron.app.report;

import java.io.PrintStream;

/** How every command prints numbers: one place, so the console and the reports agree. */
public final class Format {
    private Format() {}

    /** A fraction as a percentage with one decimal, "-" when there is none (null or NaN). */
    public static String percent(Double fraction) {
        return fraction == null || fraction.isNaN()
                ? "-"
                : String.format("%.1f %%", fraction * 100);
    }

    /** A number as typed: "20" for 20.0, "2.5" for 2.5. */
    public static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** One labelled row of a console report. */
    public static void row(PrintStream out, String label, String value) {
        out.printf("  %-32s %s%n", label, value);
    }
}
