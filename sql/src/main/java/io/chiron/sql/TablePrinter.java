package io.chiron.sql;

import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a bounded result as a table whose columns are as wide as their widest value (up to a
 * limit, longer values cut with "..."), in the style of Flink's SQL client. Flink's own {@code
 * TableResult.print()} sizes a string column by its type, so every STRING column is as wide as the
 * limit.
 */
public final class TablePrinter {
    private TablePrinter() {}

    /** Collects {@code result} (bounded) and prints it to {@code out}. */
    public static void print(TableResult result, PrintStream out, int maxWidth) throws Exception {
        List<String> names = result.getResolvedSchema().getColumnNames();
        List<String[]> cells = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                String[] line = new String[names.size()];
                for (int i = 0; i < line.length; i++) {
                    line[i] = cut(String.valueOf(row.getField(i)), maxWidth);
                }
                cells.add(line);
            }
        }
        if (cells.isEmpty()) {
            out.println("Empty set");
            return;
        }
        int[] widths = new int[names.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = cut(names.get(i), maxWidth).length();
            for (String[] line : cells) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder border = new StringBuilder("+");
        for (int w : widths) {
            border.append("-".repeat(w + 2)).append('+');
        }
        out.println(border);
        out.println(line(names.stream().map(n -> cut(n, maxWidth)).toArray(String[]::new), widths));
        out.println(border);
        for (String[] line : cells) {
            out.println(line(line, widths));
        }
        out.println(border);
        out.println(cells.size() + (cells.size() == 1 ? " row in set" : " rows in set"));
    }

    private static String line(String[] values, int[] widths) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < values.length; i++) {
            b.append(' ').append(" ".repeat(widths[i] - values[i].length())).append(values[i]);
            b.append(" |");
        }
        return b.toString();
    }

    private static String cut(String value, int maxWidth) {
        return value.length() <= maxWidth ? value : value.substring(0, maxWidth - 3) + "...";
    }
}
