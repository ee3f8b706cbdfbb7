package org.taskbert.tasks.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.spi.data.InputFormatException;

/** Explicit example files: what is read, and bad lines named by file and line. */
class RankingExampleTest {

    @TempDir
    Path tmp;

    @Test
    void readsQueriesPositivesAndOptionalNegatives() throws Exception {
        Path f = Files.write(
                tmp.resolve("ex.jsonl"),
                List.of(
                        "{\"query\": \" q1 \", \"positive\": \"p1\", \"negative\": \"n1\", \"source\": \"x\"}",
                        "",
                        "{\"query\": \"q2\", \"positive\": \"p2\", \"negative\": null}",
                        "{\"query\": \"q3\", \"positive\": \"p3\"}"));
        assertEquals(
                List.of(
                        new RankingExample("ex.jsonl:1", "q1", "p1", "n1"),
                        new RankingExample("ex.jsonl:3", "q2", "p2", null),
                        new RankingExample("ex.jsonl:4", "q3", "p3", null)),
                RankingExample.read(f));
    }

    private InputFormatException bad(String line) throws Exception {
        Path f = Files.write(tmp.resolve("bad.jsonl"), List.of("{\"query\": \"q\", \"positive\": \"p\"}", line));
        return assertThrows(InputFormatException.class, () -> RankingExample.read(f));
    }

    @Test
    void anEmptyQueryOrPositiveIsAnErrorNamingFileLineAndField() throws Exception {
        InputFormatException e = bad("{\"query\": \"\", \"positive\": \"p\"}");
        assertTrue(e.getMessage().endsWith("bad.jsonl:2: empty query"), e.getMessage());
        assertEquals("query", e.field());
        e = bad("{\"query\": \"q\", \"positive\": \"  \\t \"}");
        assertTrue(e.getMessage().endsWith("bad.jsonl:2: empty positive"), e.getMessage());
        e = bad("{\"query\": \"q\", \"positive\": \"p\", \"negative\": \"\"}");
        assertTrue(e.getMessage().endsWith("bad.jsonl:2: empty negative"), e.getMessage());
        e = bad("{\"positive\": \"p\"}");
        assertTrue(e.getMessage().endsWith("bad.jsonl:2: missing field 'query'"), e.getMessage());
        e = bad("{\"query\": 3, \"positive\": \"p\"}");
        assertTrue(e.getMessage().endsWith("bad.jsonl:2: field 'query' must be a string, got number"), e.getMessage());
        e = bad("{\"query\": \"q\", \"positive\": \"p\"");
        assertTrue(e.getMessage().contains("bad.jsonl:2: malformed JSON"), e.getMessage());
        e = bad("[1]");
        assertTrue(e.getMessage().endsWith("bad.jsonl:2: expected a JSON object, got array"), e.getMessage());
    }

    @Test
    void invalidUtf8AndEmptyFilesAreErrors() throws Exception {
        Path f = tmp.resolve("latin1.jsonl");
        Files.write(f, new byte[] {'{', '"', 'q', 'u', 'e', 'r', 'y', '"', ':', '"', (byte) 0xE9, '"', '}'});
        var e = assertThrows(InputFormatException.class, () -> RankingExample.read(f));
        assertTrue(e.getMessage().contains("latin1.jsonl:1: invalid UTF-8"), e.getMessage());
        Path empty = Files.write(tmp.resolve("empty.jsonl"), List.of("", " "));
        e = assertThrows(InputFormatException.class, () -> RankingExample.read(empty));
        assertTrue(e.getMessage().endsWith("empty.jsonl: no examples"), e.getMessage());
    }
}
