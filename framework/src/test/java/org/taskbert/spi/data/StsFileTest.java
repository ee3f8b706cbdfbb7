package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.taskbert.data.InputErrorAssert.assertInputError;
import static org.taskbert.data.TestFiles.bytes;
import static org.taskbert.data.TestFiles.write;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StsFileTest {
    private static final String GOOD = "{\"sentence1\": \"A plane is taking off.\", \"sentence2\": "
            + "\"An air plane is taking off.\", \"score\": 5.0, \"genre\": \"main-news\", \"id\": \"0001\"}";

    @TempDir
    Path dir;

    private static String pair(String score) {
        return "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": " + score + "}";
    }

    @Test
    void readsPairsIgnoringExtraKeysAndBlankLines() throws IOException {
        StsFile sts = StsFile.read(write(dir, "dev.jsonl", GOOD + "\n\n   \n" + pair("0") + "\n" + pair("2") + "\n"));
        assertEquals(
                List.of(
                        new StsPair("A plane is taking off.", "An air plane is taking off.", 5.0),
                        new StsPair("a", "b", 0),
                        new StsPair("a", "b", 2)),
                sts.pairs());
        assertEquals(0, sts.skippedScores());
        assertEquals(-1, sts.firstSkippedLine());
        assertEquals(List.of(1L, 4L, 5L), List.of(sts.lineOf(0), sts.lineOf(1), sts.lineOf(2)), "blank lines counted");
    }

    @Test
    void acceptsNumericStrings() throws IOException {
        String text = pair("\"3.5\"") + "\n" + pair("\" 4 \"") + "\n" + pair("1e0");
        StsFile sts = StsFile.read(write(dir, "s.jsonl", text));
        assertEquals(
                List.of(3.5, 4.0, 1.0), sts.pairs().stream().map(StsPair::score).toList());
        assertEquals(0, sts.skippedScores());
    }

    @Test
    void countsAndSkipsScoresThatAreNotFiniteNumbers() throws IOException {
        String[] bad = {
            "NaN",
            "Infinity",
            "-Infinity",
            "null",
            "\"abc\"",
            "\"NaN\"",
            "\"Infinity\"",
            "\"\"",
            "1e400",
            "\"1e400\"",
            "true"
        };
        StringBuilder text = new StringBuilder(pair("1.5")).append('\n');
        for (String score : bad) {
            text.append(pair(score)).append('\n');
        }
        StsFile sts =
                StsFile.read(write(dir, "s.jsonl", text.append(pair("2.5")).toString()));
        assertEquals(List.of(1.5, 2.5), sts.pairs().stream().map(StsPair::score).toList());
        assertEquals(bad.length, sts.skippedScores());
        assertEquals(2, sts.firstSkippedLine());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sentence1|{\"sentence2\": \"b\", \"score\": 1}",
                "sentence2|{\"sentence1\": \"a\", \"score\": 1}",
                "score|{\"sentence1\": \"a\", \"sentence2\": \"b\"}",
            })
    void missingFieldNamesFileLineAndField(String field, String line) throws IOException {
        Path file = write(dir, "dev.jsonl", GOOD + "\n\n" + line + "\n" + GOOD + "\n");
        assertInputError(file, 3, field, "missing field '" + field + "'", () -> StsFile.read(file));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "{\"sentence1\": 1, \"sentence2\": \"b\", \"score\": 1}|sentence1|'sentence1' must be a string, got number",
                "{\"sentence1\": \"a\", \"sentence2\": null, \"score\": 1}|sentence2|'sentence2' must be a string, got null",
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": [1]}|score|field 'score' must be a number, got array",
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": {}}|score|field 'score' must be a number, got object",
            })
    void wrongTypeNamesFileLineAndField(String line, String field, String fragment) throws IOException {
        Path file = write(dir, "sts.jsonl", GOOD + "\n" + line + "\n");
        assertInputError(file, 2, field, fragment, () -> StsFile.read(file));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1",
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1, \"score\": 2}",
                "{'sentence1': 'a', 'sentence2': 'b', 'score': 1}",
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1}}",
            })
    void malformedJsonNamesFileAndLine(String line) throws IOException {
        Path file = write(dir, "sts.jsonl", GOOD + "\n" + GOOD + "\n\n" + line + "\n");
        String message = assertInputError(file, 4, null, "malformed JSON", () -> StsFile.read(file))
                .getMessage();
        assertFalse(message.contains("Source:"), message);
    }

    @Test
    void nonObjectLineNamesFileAndLine() throws IOException {
        Path file = write(dir, "sts.jsonl", "[\"a\", \"b\", 1]\n");
        assertInputError(file, 1, null, "expected a JSON object, got array", () -> StsFile.read(file));
    }

    @Test
    void invalidUtf8NamesByteOffsetAndLine() throws IOException {
        Path file = write(dir, "sts.jsonl", bytes(GOOD, "\n{\"sentence1\": \"", 0xED, 0xB0, 0x80, "\"}\n"));
        long offset = GOOD.length() + 1 + "{\"sentence1\": \"".length();
        InputFormatException e =
                assertInputError(file, 2, null, "invalid UTF-8 at byte offset " + offset, () -> StsFile.read(file));
        assertEquals(offset, e.byteOffset());
    }

    @Test
    void readsGzipAndEmptyFiles() throws IOException {
        assertEquals(
                1, StsFile.read(write(dir, "sts.jsonl.gz", GOOD + "\n")).pairs().size());
        StsFile empty = StsFile.read(write(dir, "empty.jsonl", ""));
        assertEquals(List.of(), empty.pairs());
        assertEquals(0, empty.skippedScores());
        assertEquals(-1, empty.firstSkippedLine());
    }
}
