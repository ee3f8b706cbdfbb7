package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.taskbert.data.InputErrorAssert.assertInputError;
import static org.taskbert.data.TestFiles.write;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers and nesting beyond {@link ReadLimits} fail fast, naming the file and line, instead of costing seconds. */
class NumberLengthTest {

    private static final String DIGITS = "1".repeat(1_000_000);
    private static final Duration FAST = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private static String pair(String score) {
        return "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": " + score + "}";
    }

    @Test
    void aMillionDigitScoreStringIsAFastErrorNamingTheLine() throws IOException {
        Path f = write(dir, "sts.jsonl", pair("1") + "\n" + pair("\"0." + DIGITS + "\"") + "\n");
        assertTimeoutPreemptively(
                FAST, () -> assertInputError(f, 2, "score", "longer than any number", () -> StsFile.read(f)));
    }

    @Test
    void aMillionDigitScoreNumberIsAFastErrorNamingTheLine() throws IOException {
        Path f = write(dir, "sts.jsonl", pair("1") + "\n\n" + pair("0." + DIGITS) + "\n");
        assertTimeoutPreemptively(
                FAST, () -> assertInputError(f, 3, null, "exceeds the maximum allowed (1000)", () -> StsFile.read(f)));
    }

    @Test
    void aScoreStringOfAThousandCharactersIsStillANumber() throws IOException {
        Path f = write(dir, "sts.jsonl", pair("\"1." + "0".repeat(998) + "\"") + "\n");
        org.junit.jupiter.api.Assertions.assertEquals(
                1.0, StsFile.read(f).pairs().get(0).score());
    }

    @Test
    void deepNestingInAJsonLineIsAnErrorNamingTheLine() throws IOException {
        String deep = "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1, \"x\": " + "[".repeat(500)
                + "]".repeat(500) + "}";
        Path f = write(dir, "sts.jsonl", deep + "\n");
        assertInputError(f, 1, null, "nesting depth", () -> StsFile.read(f));
    }
}
