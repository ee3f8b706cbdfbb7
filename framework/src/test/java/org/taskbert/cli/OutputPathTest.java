package org.taskbert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.TinyModels;

/**
 * Issue 15, rows 10, 12 and 13: every command checks its paths before any work, and says which path is wrong and
 * how. The model named here does not exist: a check that came after the work would report the model instead.
 */
class OutputPathTest {

    static final String NO_MODEL = "no-such-model-anywhere";

    @TempDir
    Path tmp;

    Path in;
    Path sts;

    @BeforeEach
    void files() throws IOException {
        in = Files.writeString(tmp.resolve("in.txt"), "the man is playing .\nthe dog runs !\n");
        sts = Files.writeString(
                tmp.resolve("sts.jsonl"), "{\"sentence1\": \"a man\", \"sentence2\": \"the man\", \"score\": 4}\n");
    }

    private static void assertRefused(CliRun.Result r, String... fragments) {
        assertNotEquals(0, r.code());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "expected '" + f + "' in: " + r.err());
        }
        assertFalse(r.err().contains(NO_MODEL), () -> "the paths are checked after the model: " + r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void embedWithTheInputAsOutputIsRefusedAndTheTextsStay() throws IOException {
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
        String texts = Files.readString(in);
        CliRun.Result r = CliRun.run("embed", "-m", model.toString(), "-i", in.toString(), "-o", in.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(in + ": is also an input"), r.err());
        assertEquals(texts, Files.readString(in));

        // the same file by another name
        Path other = tmp.resolve("sub/../in.txt");
        Files.createDirectories(tmp.resolve("sub"));
        r = CliRun.run("embed", "-m", model.toString(), "-i", in.toString(), "-o", other.toString());
        assertNotEquals(0, r.code());
        assertEquals(texts, Files.readString(in));
        Path link = Files.createSymbolicLink(tmp.resolve("link.txt"), in);
        r = CliRun.run("embed", "-m", model.toString(), "-i", link.toString(), "-o", in.toString());
        assertNotEquals(0, r.code());
        assertEquals(texts, Files.readString(in));
    }

    @Test
    void evalStsJsonOverAnInputIsRefused() throws IOException {
        String before = Files.readString(sts);
        assertRefused(
                CliRun.run("eval", "sts", "-m", NO_MODEL, "--json", sts.toString(), sts.toString()),
                sts + ": is also an input");
        assertEquals(before, Files.readString(sts));
    }

    @Test
    void anOutputThatIsAFolderIsRefusedBeforeAnyWork() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("vectors.jsonl"));
        assertRefused(
                CliRun.run("embed", "-m", NO_MODEL, "-i", in.toString(), "-o", folder.toString()),
                folder + ": is a folder");
        assertRefused(
                CliRun.run("eval", "sts", "-m", NO_MODEL, "--json", folder.toString(), sts.toString()),
                folder + ": is a folder");
    }

    @Test
    void anOutputUnderAFileIsRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        Path out = file.resolve("vectors.jsonl");
        assertRefused(
                CliRun.run("embed", "-m", NO_MODEL, "-i", in.toString(), "-o", out.toString()),
                out + ": cannot be written: " + file + " is a file");
        assertRefused(
                CliRun.run("eval", "sts", "-m", NO_MODEL, "--json", out.toString(), sts.toString()),
                out + ": cannot be written");
    }

    @Test
    void anOverLongNameIsRefusedBeforeAnyWork() {
        Path out = tmp.resolve("v".repeat(300) + ".jsonl");
        assertRefused(
                CliRun.run("embed", "-m", NO_MODEL, "-i", in.toString(), "-o", out.toString()),
                "cannot be written: file name too long");
        assertRefused(
                CliRun.run("eval", "sts", "-m", NO_MODEL, "--json", out.toString(), sts.toString()),
                "file name too long");
        // several poolings: each pooling's file is checked
        Path almost = tmp.resolve("v".repeat(220) + ".jsonl");
        assertRefused(
                CliRun.run(
                        "embed",
                        "-m",
                        NO_MODEL,
                        "-p",
                        "cls,first_last_avg",
                        "-i",
                        in.toString(),
                        "-o",
                        almost.toString()),
                "first_last_avg",
                "file name too long");
    }

    /**
     * A folder the process may not write into: the probe's AccessDeniedException reads "permission denied". Held on
     * the exception itself, since root (as CI runs) writes into read-only folders; the probe's refusal through the
     * CLI is held by the over-long name above.
     */
    @Test
    void aProbeRefusedByPermissionsSaysPermissionDenied() {
        Path probe = tmp.resolve("locked").resolve(".o.jsonl.0123456789abcdef.tmp");
        assertEquals(
                "permission denied",
                Preflight.reason(new java.nio.file.AccessDeniedException(probe.toString()), probe));
    }

    @Test
    void aMissingInputIsNamedAndSaidToBeMissing() {
        Path missing = tmp.resolve("nowhere.txt");
        assertRefused(
                CliRun.run(
                        "embed",
                        "-m",
                        NO_MODEL,
                        "-i",
                        missing.toString(),
                        "-o",
                        tmp.resolve("o.jsonl").toString()),
                missing + ": does not exist");
        assertRefused(
                CliRun.run(
                        "eval",
                        "sts",
                        "-m",
                        NO_MODEL,
                        "--json",
                        tmp.resolve("o.json").toString(),
                        missing.toString()),
                missing + ": does not exist");
        assertFalse(Files.exists(tmp.resolve("o.jsonl")));
    }

    @Test
    void aFolderGivenAsInputIsNamed() {
        assertRefused(
                CliRun.run(
                        "embed",
                        "-m",
                        NO_MODEL,
                        "-i",
                        tmp.toString(),
                        "-o",
                        tmp.resolve("o.jsonl").toString()),
                tmp + ": is a folder, not a file");
        assertRefused(
                CliRun.run(
                        "eval",
                        "sts",
                        "-m",
                        NO_MODEL,
                        "--json",
                        tmp.resolve("o.json").toString(),
                        tmp.toString()),
                tmp + ": is a folder, not a file");
    }

    @Test
    void benchChecksItsJsonBeforeMeasuring() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("bench.json"));
        assertRefused(
                CliRun.run("bench", "-m", NO_MODEL, "--gemm-seconds", "0", "--json", folder.toString(), sts.toString()),
                folder + ": is a folder");
    }
}
