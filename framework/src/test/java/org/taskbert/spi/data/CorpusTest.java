package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    private Path gz(String... lines) throws IOException {
        return gzBytes(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    private Path gzBytes(byte[] bytes) throws IOException {
        Path file = dir.resolve("corpus.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }

    private static InputFormatException assertError(Path file, long line, String field, String fragment) {
        InputFormatException e =
                assertThrows(InputFormatException.class, () -> Corpus.read(file, new SentenceSplitter()));
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ":" + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        return e;
    }

    @Test
    void readsParagraphsSentencesAndDuplicates() throws IOException {
        Path file = gz(
                "{\"id\": \"a/1\", \"title\": \"T1\", \"label\": \"sport\", "
                        + "\"text\": \"Mr. Smith won. He was happy.\\n\\nThe end.\"}",
                "",
                "{\"id\": \"a/2\", \"title\": \"T2\", \"label\": \"sport\", \"duplicate_of\": \"a/1\", "
                        + "\"text\": \"One.\\n\\n\\n\\nTwo. Three.\"}",
                "{\"id\": \"640\", \"title\": \"Wiki\", \"url\": \"https://x\", \"text\": \"Only one sentence\"}");
        List<Document> docs = Corpus.read(file, new SentenceSplitter());
        assertEquals(3, docs.size());
        Document first = docs.get(0);
        assertEquals(List.of(List.of("Mr. Smith won.", "He was happy."), List.of("The end.")), first.paragraphs());
        assertEquals(List.of("Mr. Smith won.", "He was happy.", "The end."), first.sentences());
        assertEquals("T1", first.title());
        assertEquals("sport", first.label());
        assertFalse(first.isDuplicate());
        assertEquals("a/1", docs.get(1).duplicateOf());
        assertEquals("a/1", docs.get(1).duplicateGroup());
        assertEquals(
                List.of(List.of("One."), List.of("Two.", "Three.")), docs.get(1).paragraphs());
        assertNull(docs.get(2).label());
        assertEquals(List.of("Only one sentence"), docs.get(2).sentences());
        assertEquals(2, Corpus.read(file, new SentenceSplitter(), 2).size());
    }

    @Test
    void malformedJsonNamesFileAndLine() throws IOException {
        Path file = gz("{\"id\": \"1\", \"text\": \"Fine.\"}", "{\"id\": \"2\", \"text\": \"broken}");
        assertError(file, 2, null, "malformed JSON");
    }

    @Test
    void missingOrWrongFieldsAreNamed() throws IOException {
        assertError(
                gz("{\"id\": \"1\", \"text\": \"Fine.\"}", "{\"id\": \"2\", \"title\": \"x\"}"),
                2,
                "text",
                "missing field 'text'");
        assertError(gz("{\"text\": \"No id.\"}"), 1, "id", "missing field 'id'");
        assertError(gz("{\"id\": 7, \"text\": \"x\"}"), 1, "id", "field 'id' must be a string, got number");
        assertError(gz("{\"id\": \"1\", \"text\": null}"), 1, "text", "must be a string, got null");
        assertError(gz("{\"id\": \"1\", \"text\": \"x\", \"label\": 3}"), 1, "label", "must be a string");
        assertError(gz("[1, 2]"), 1, null, "expected a JSON object, got array");
        assertError(
                gz("{\"id\": \"1\", \"text\": \"x\"}", "{\"id\": \"1\", \"text\": \"y\"}"),
                2,
                "id",
                "duplicate id '1' (first on line 1)");
    }

    @Test
    void invalidUtf8NamesLineAndOffset() throws IOException {
        byte[] good = "{\"id\": \"1\", \"text\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
        byte[] all = new byte[good.length + bad.length];
        System.arraycopy(good, 0, all, 0, good.length);
        System.arraycopy(bad, 0, all, good.length, bad.length);
        InputFormatException e = assertError(gzBytes(all), 2, null, "invalid UTF-8");
        assertEquals(good.length + 7, e.byteOffset());
    }

    @Test
    void plainFilesAndCrlfToo() throws IOException {
        Path file = dir.resolve("plain.jsonl");
        Files.writeString(file, "\uFEFF{\"id\": \"1\", \"text\": \"A. B.\"}\r\n{\"id\": \"2\", \"text\": \"C.\"}\r\n");
        List<Document> docs = Corpus.read(file, new SentenceSplitter());
        assertEquals(List.of("A.", "B."), docs.get(0).sentences());
        assertEquals("2", docs.get(1).id());
    }
}
