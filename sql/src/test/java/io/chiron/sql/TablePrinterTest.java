package io.chiron.sql;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TablePrinterTest {
    private final TableEnvironment env =
            TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode().build());

    private String print(String query, int maxWidth) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TablePrinter.print(
                env.executeSql(query),
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                maxWidth);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void columnsAreAsWideAsTheirValuesAndLongOnesAreCut() throws Exception {
        String table =
                print(
                        "SELECT * FROM (VALUES ('a', 1), ('a much longer value', 22)) AS t(name, n)",
                        10);
        assertThat(table)
                .isEqualTo(
                        "+------------+----+\n"
                                + "|       name |  n |\n"
                                + "+------------+----+\n"
                                + "|          a |  1 |\n"
                                + "| a much ... | 22 |\n"
                                + "+------------+----+\n"
                                + "2 rows in set\n");
    }

    @Test
    void anEmptyResultSaysSo() throws Exception {
        assertThat(print("SELECT * FROM (VALUES (1)) AS t(n) WHERE n > 1", 10))
                .isEqualTo("Empty set\n");
    }
}
