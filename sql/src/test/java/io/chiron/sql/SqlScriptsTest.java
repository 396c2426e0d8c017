package io.chiron.sql;

import io.chiron.records.Topic;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SqlScriptsTest {
    @Test
    void splitsAtSemicolonsOutsideQuotesAndComments() {
        List<String> statements =
                SqlScripts.split(
                        "-- a comment; not a statement\n"
                                + "SELECT 'a;b', `c;d` FROM t; /* block; */ SELECT 2;\n"
                                + "SELECT 'it''s; fine';\n"
                                + "-- trailing comment only\n");
        assertThat(statements)
                .containsExactly(
                        "-- a comment; not a statement\nSELECT 'a;b', `c;d` FROM t",
                        "/* block; */ SELECT 2",
                        "SELECT 'it''s; fine'");
    }

    @Test
    void theDdlDeclaresEveryTopicWithItsRecordAndIsWhatTheBuildShips() throws IOException {
        String topics = SqlScripts.ddl("01-topics.sql");
        for (Topic t : Topic.values()) {
            assertThat(topics)
                    .containsPattern(
                            "'topic' += '"
                                    + java.util.regex.Pattern.quote(t.defaultName())
                                    + "',\\n( +'[^\\n]*\\n)*? +'chiron-avro.record' += '"
                                    + t.recordType().getSimpleName()
                                    + "'");
        }
        assertThat(SqlScripts.split(topics)).hasSize(SqlSession.TABLES.size());
        for (String table : SqlSession.TABLES) {
            assertThat(topics).contains("CREATE TABLE IF NOT EXISTS " + table + " (");
        }
        // sql/ddl/ holds exactly the preloaded files, and the build ships them unchanged.
        try (Stream<Path> files = Files.list(Path.of("ddl"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).isEqualTo(SqlScripts.DDL);
        }
        for (String file : SqlScripts.DDL) {
            assertThat(SqlScripts.ddl(file)).isEqualTo(Files.readString(Path.of("ddl", file)));
        }
    }
}
