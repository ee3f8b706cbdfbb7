package org.taskbert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.TinyModels;

/**
 * Issue 15, row 2: {@code compare} and {@code export} write only into a folder that is new, empty or their own; a
 * folder of someone else's files is refused unless {@code --force}, and then only the command's own files go.
 * Rerunning into the command's own folder clears what the last run wrote, so nothing stale (an old 2_Dense/) stays.
 */
class OutputFolderTest {

    @TempDir
    Path tmp;

    Path model;
    Path sts;

    @BeforeEach
    void files() throws IOException {
        model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
        List<String> lines = new ArrayList<>();
        String[] words = {"the man", "a woman", "the dog", "a cat", "the guitar"};
        for (int i = 0; i < 12; i++) {
            lines.add("{\"sentence1\": \"" + words[i % 5] + " is playing\", \"sentence2\": \"" + words[(i * 3) % 5]
                    + " runs\", \"score\": " + (i % 6) + "}");
        }
        sts = Files.write(tmp.resolve("sts.jsonl"), lines);
    }

    private Path compareConfig(Path output) throws IOException {
        return Files.writeString(
                tmp.resolve("cmp.yaml"),
                "models: [" + model + "]\nsts: [" + sts + "]\nanisotropy_pairs: 0\noutput: " + output + "\n");
    }

    @Test
    void compareRefusesAFolderOfSomeoneElsesFilesAndLeavesThemAsTheyWere() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(mine.resolve("report.md"), "my own report\n");
        Files.writeString(mine.resolve("results.json"), "{\"mine\": true}\n");
        CliRun.Result r = CliRun.run("compare", compareConfig(mine).toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(mine + ": is not empty and was not written by taskbert compare"), r.err());
        assertTrue(r.err().contains("--force"), r.err());
        assertEquals("my own report\n", Files.readString(mine.resolve("report.md")));
        assertEquals("{\"mine\": true}\n", Files.readString(mine.resolve("results.json")));
        assertEquals(2, Files.list(mine).count(), "nothing added");
    }

    @Test
    void compareWithForceReplacesItsOwnFilesAndKeepsTheOthers() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(mine.resolve("report.md"), "my own report\n");
        Files.writeString(mine.resolve("todo.txt"), "keep me\n");
        CliRun.Result r = CliRun.run("compare", compareConfig(mine).toString(), "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(mine.resolve("report.md")).contains("Verdict"));
        assertEquals("keep me\n", Files.readString(mine.resolve("todo.txt")));

        // Now the folder is compare's own: a second run needs no --force and still keeps the other file.
        CliRun.Result again = CliRun.run("compare", compareConfig(mine).toString());
        assertEquals(0, again.code(), again.err());
        assertEquals("keep me\n", Files.readString(mine.resolve("todo.txt")));
    }

    @Test
    void compareRerunsIntoItsOwnFolderAndClearsChartsOfTheLastRun() throws IOException {
        Path report = tmp.resolve("report");
        assertEquals(0, CliRun.run("compare", compareConfig(report).toString()).code());
        assertTrue(Files.exists(report.resolve("model-tiny-sts-1.png")));
        // The next run compares another model: the first model's charts are the last run's, and go.
        Path other = TinyModels.writeHuggingFace(tmp.resolve("other"), 4, true);
        Files.writeString(
                tmp.resolve("cmp2.yaml"),
                "models: [" + other + "]\nsts: [" + sts + "]\nanisotropy_pairs: 0\noutput: " + report + "\n");
        CliRun.Result r = CliRun.run("compare", tmp.resolve("cmp2.yaml").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(report.resolve("model-other-sts-1.png")));
        assertFalse(Files.exists(report.resolve("model-tiny-sts-1.png")), "a stale chart stayed");

        // --report-only re-renders from results.json, which it keeps.
        CliRun.Result rendered = CliRun.run("compare", tmp.resolve("cmp2.yaml").toString(), "--report-only");
        assertEquals(0, rendered.code(), rendered.err());
        assertTrue(Files.exists(report.resolve("results.json")));
        assertTrue(Files.exists(report.resolve("model-other-sts-1.png")));
    }

    @Test
    void aReportFolderWrittenBeforeTheMarkerIsStillCompares() throws IOException {
        Path report = tmp.resolve("report");
        assertEquals(0, CliRun.run("compare", compareConfig(report).toString()).code());
        Files.delete(report.resolve(OutputFolder.MARKER)); // as the committed docs/compare-* folders are
        CliRun.Result r = CliRun.run("compare", compareConfig(report).toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void theCommittedReportsAreComparesOwnFolders() throws IOException {
        for (String name : List.of("compare-bert-base-uncased", "compare-tasks", "ja/compare-multilingual")) {
            Path committed = Path.of("..", "docs", name);
            assertTrue(org.taskbert.compare.CompareReport.isReport(committed), name);
            try (var files = Files.list(committed)) {
                files.forEach(f -> {
                    String entry = f.getFileName().toString(); // the marker too: compare writes it
                    assertTrue(entry.equals(OutputFolder.MARKER) || CompareCommand.LAYOUT.owns(entry), f.toString());
                });
            }
        }
    }

    @Test
    void exportRefusesAFolderOfSomeoneElsesFilesUnlessForcedAndThenKeepsThem() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("config.json"), "{\"my\": \"config\"}");
        Files.writeString(mine.resolve("notes.md"), "notes");
        CliRun.Result r = CliRun.run("export", model.toString(), "--pooling", "mean", "--out", mine.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("was not written by taskbert export"), r.err());
        assertEquals("{\"my\": \"config\"}", Files.readString(mine.resolve("config.json")));

        r = CliRun.run("export", model.toString(), "--pooling", "mean", "--out", mine.toString(), "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(mine.resolve("config.json")).contains("hidden_size"));
        assertEquals("notes", Files.readString(mine.resolve("notes.md")));
    }

    @Test
    void reexportingAnotherPoolingLeavesNoStaleDenseLayer() throws IOException {
        Path out = tmp.resolve("export");
        assertEquals(
                0,
                CliRun.run("export", model.toString(), "--pooling", "pooler", "--out", out.toString())
                        .code());
        assertTrue(Files.exists(out.resolve("2_Dense/model.safetensors")));
        CliRun.Result r = CliRun.run("export", model.toString(), "--pooling", "mean", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve("2_Dense")), "the pooler's dense layer of the first export stayed");
        assertFalse(Files.readString(out.resolve("modules.json")).contains("2_Dense"));
    }

    @Test
    void exportRefusesToWriteOverTheModelItReads() throws IOException {
        Path out = tmp.resolve("export");
        assertEquals(
                0,
                CliRun.run("export", model.toString(), "--pooling", "mean", "--out", out.toString())
                        .code());
        byte[] weights = Files.readAllBytes(out.resolve("model.safetensors"));
        CliRun.Result r = CliRun.run("export", out.toString(), "--pooling", "cls", "--out", out.toString(), "--force");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(out + ": is also an input"), r.err());
        assertTrue(java.util.Arrays.equals(weights, Files.readAllBytes(out.resolve("model.safetensors"))));
    }

    @Test
    void exportOrCompareToAFileIsRefusedBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "mine");
        CliRun.Result r = CliRun.run("export", "no-such-model", "--pooling", "mean", "--out", file.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(file + ": is a file"), r.err());
        Files.writeString(
                tmp.resolve("bogus.yaml"), "models: [no-such-model]\nsts: [" + sts + "]\noutput: " + file + "\n");
        r = CliRun.run("compare", tmp.resolve("bogus.yaml").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(file + ": is a file"), r.err());
        assertEquals("mine", Files.readString(file));
    }
}
