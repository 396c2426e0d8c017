package io.chiron.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** SQL scripts: splitting them into statements, and the DDL every session preloads. */
public final class SqlScripts {
    /** The files of {@code sql/ddl/}, in the order a session runs them. */
    public static final List<String> DDL = List.of("01-topics.sql", "02-views.sql");

    private SqlScripts() {}

    /** The preloaded DDL file {@code name} (one of {@link #DDL}), from the classpath. */
    public static String ddl(String name) {
        try (InputStream in = SqlScripts.class.getResourceAsStream("ddl/" + name)) {
            if (in == null) {
                throw new IllegalStateException("DDL file " + name + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The statements of {@code script}, without their terminating semicolons: split at semicolons
     * outside quotes ('...', `...`, "...") and comments (-- to the end of the line, /* ... *&#47;).
     * Comments stay in the statement they precede; pieces that are only comments or blanks are
     * dropped.
     */
    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                end = end < 0 ? n : end;
                current.append(script, i, end);
                i = end - 1;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                current.append(script, i, end);
                i = end - 1;
            } else if (c == '\'' || c == '`' || c == '"') {
                int end = i + 1;
                while (end < n) {
                    if (script.charAt(end) == c) {
                        // A doubled quote is an escaped one.
                        if (end + 1 < n && script.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(n, end + 1);
                current.append(script, i, end);
                i = end - 1;
            } else if (c == ';') {
                add(statements, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    private static void add(List<String> statements, StringBuilder piece) {
        String s = piece.toString().strip();
        if (!stripComments(s).isBlank()) {
            statements.add(s);
        }
    }

    /** {@code statement} without its comments (used to tell an empty piece). */
    static String stripComments(String statement) {
        return statement.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
    }
}
