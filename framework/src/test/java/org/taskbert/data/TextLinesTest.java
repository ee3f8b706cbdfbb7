package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.data.InputErrorAssert.assertInputError;
import static org.taskbert.data.TestFiles.bytes;
import static org.taskbert.data.TestFiles.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.spi.data.InputFormatException;

class TextLinesTest {
    @TempDir
    Path dir;

    @Test
    void plainTextKeepsEmptyLines() throws IOException {
        assertEquals(List.of("a", "", "b", ""), TextLines.read(write(dir, "in.txt", "a\n\nb\n\n")));
        assertEquals(List.of("", "x"), TextLines.read(write(dir, "lead.txt", "\nx")));
    }

    @Test
    void finalNewlineDoesNotAddAText() throws IOException {
        assertEquals(List.of("a", "b"), TextLines.read(write(dir, "with.txt", "a\nb\n")));
        assertEquals(List.of("a", "b"), TextLines.read(write(dir, "without.txt", "a\nb")));
        assertEquals(List.of(), TextLines.read(write(dir, "empty.txt", "")));
        assertEquals(List.of(""), TextLines.read(write(dir, "newline.txt", "\n")));
    }

    @Test
    void dropsLeadingBomAndCarriageReturns() throws IOException {
        assertEquals(List.of("a", "b \uFEFF"), TextLines.read(write(dir, "bom.txt", "\uFEFFa\r\nb \uFEFF\r\n")));
    }

    @Test
    void keepsNonAsciiText() throws IOException {
        List<String> texts = List.of("café", "東京", "emoji \uD83D\uDE00", "  spaced  ");
        assertEquals(texts, TextLines.read(write(dir, "u.txt", String.join("\n", texts))));
    }

    @Test
    void invalidUtf8NamesFileByteOffsetAndLine() throws IOException {
        Path file = write(dir, "input.txt", bytes("line1\nline2\nxy", 0xC3, "(\n"));
        InputFormatException e =
                assertInputError(file, 3, null, "invalid UTF-8 at byte offset 14", () -> TextLines.read(file));
        assertEquals(14, e.byteOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "lone continuation byte, 80",
        "overlong NUL, C0 80",
        "UTF-16 surrogate, ED A0 80",
        "beyond U+10FFFF, F5 80 80 80",
        "truncated at end of file, E2 82",
        "truncated before ASCII, E2 82 41",
    })
    void rejectsEveryKindOfMalformedUtf8(String kind, String hex) throws IOException {
        String[] hexBytes = hex.split(" ");
        Object[] parts = new Object[hexBytes.length + 1];
        parts[0] = "ok\n\u00E9"; // 3 + 2 bytes: the bad sequence starts at byte offset 5, on line 2
        for (int i = 0; i < hexBytes.length; i++) {
            parts[i + 1] = Integer.parseInt(hexBytes[i], 16);
        }
        Path file = write(dir, "bad.txt", bytes(parts));
        assertEquals(
                5,
                assertInputError(file, 2, null, "byte offset 5", () -> TextLines.read(file))
                        .byteOffset());
    }

    @Test
    void byteOffsetCountsTheBom() throws IOException {
        Path file = write(dir, "bom.txt", bytes("\uFEFFé\nok\n", 0xFF));
        assertEquals(
                9,
                assertInputError(file, 3, null, "byte offset 9", () -> TextLines.read(file))
                        .byteOffset());
    }

    @Test
    void readsGzippedText() throws IOException {
        assertEquals(List.of("a", "", "ü"), TextLines.read(write(dir, "in.txt.gz", "a\n\nü\n")));
    }

    @Test
    void invalidUtf8InGzipGivesOffsetInDecompressedBytes() throws IOException {
        Path file = write(dir, "in.txt.gz", bytes("abc\nd", 0xFE));
        assertEquals(
                5,
                assertInputError(file, 2, null, "byte offset 5", () -> TextLines.read(file))
                        .byteOffset());
    }

    @Test
    void corruptGzipIsAnInputError() throws IOException {
        Path notGzip = dir.resolve("plain.txt.gz");
        Files.writeString(notGzip, "not gzip\n");
        assertInputError(notGzip, -1, null, "corrupt gzip data", () -> TextLines.read(notGzip));

        Path full = write(dir, "full.txt.gz", "some text that is long enough\n".repeat(20));
        byte[] compressed = Files.readAllBytes(full);
        Path truncated = dir.resolve("truncated.txt.gz");
        Files.write(truncated, Arrays.copyOf(compressed, compressed.length / 2));
        // streamed: the error names the line being read when the data broke off
        assertInputError(truncated, 1, null, "corrupt gzip data", () -> TextLines.read(truncated));
    }

    @Test
    void jsonlReadsTextFieldAndSkipsBlankLines() throws IOException {
        Path file = write(
                dir,
                "t.jsonl",
                "{\"text\": \"a\", \"id\": 1}\n\n  \n{\"id\": 2, \"text\": \"\"}\n{\"text\":\"q\\\"\\n\"}\n");
        assertEquals(List.of("a", "", "q\"\n"), TextLines.read(file));
    }

    @Test
    void jsonlGz() throws IOException {
        assertEquals(List.of("x", "y"), TextLines.read(write(dir, "t.jsonl.gz", "{\"text\":\"x\"}\n{\"text\":\"y\"}")));
    }

    @Test
    void plainTextFileWithJsonIsTakenVerbatim() throws IOException {
        assertEquals(List.of("{\"text\": \"a\"}"), TextLines.read(write(dir, "t.txt", "{\"text\": \"a\"}\n")));
        assertTrue(TextLines.isJsonl(Path.of("a/b.jsonl.gz")));
        assertFalse(TextLines.isJsonl(Path.of("a/b.json")));
    }

    @Test
    void jsonlMissingTextNamesLineAndField() throws IOException {
        Path file = write(dir, "t.jsonl", "{\"text\":\"a\"}\n\n{\"txt\":\"b\"}\n");
        assertInputError(file, 3, "text", "missing field 'text'", () -> TextLines.read(file));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"{\"text\": 5}|number", "{\"text\": null}|null", "{\"text\": [\"a\"]}|array"})
    void jsonlNonStringTextNamesLineAndField(String json, String kind) throws IOException {
        Path file = write(dir, "t.jsonl", "{\"text\":\"a\"}\n" + json + "\n");
        assertInputError(file, 2, "text", "field 'text' must be a string, got " + kind, () -> TextLines.read(file));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"text\": \"a\"|malformed JSON",
                "{\"text\": \"a\"} {}|malformed JSON",
                "{\"text\": \"a\", \"text\": \"b\"}|malformed JSON",
                "text: a|malformed JSON",
                "[\"a\"]|expected a JSON object, got array",
                "\"a\"|expected a JSON object, got string",
            })
    void jsonlBadLineNamesLine(String json, String fragment) throws IOException {
        Path file = write(dir, "t.jsonl", "\n{\"text\":\"a\"}\n" + json + "\n{\"text\":\"b\"}\n");
        assertInputError(file, 3, null, fragment, () -> TextLines.read(file));
    }

    @Test
    void jsonlInvalidUtf8() throws IOException {
        Path file = write(dir, "t.jsonl", bytes("{\"text\":\"a\"}\n{\"text\":\"", 0xC0, 0xAF, "\"}\n"));
        assertEquals(
                22,
                assertInputError(file, 2, null, "byte offset 22", () -> TextLines.read(file))
                        .byteOffset());
    }
}
