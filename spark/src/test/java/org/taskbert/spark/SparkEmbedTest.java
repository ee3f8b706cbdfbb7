package org.taskbert.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.SharedData;
import org.taskbert.cli.CliRun;
import org.taskbert.data.TextLines;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Pooling;
import picocli.CommandLine;

/**
 * {@code spark embed} on a tiny random-weight model: the STS-B dev sentences embedded by Spark with {@code local[2]}
 * are the plain {@code embed}'s vectors row for row, ids in input order; a task failed on its first attempt is retried
 * and every row is written once; bad input names its file and line, or the column.
 */
class SparkEmbedTest {

    @TempDir
    static Path tmp;

    static Path model;
    static Path dev;
    static List<String> sentences;
    static Path texts;
    static float[][] plain;

    @BeforeAll
    static void plainEmbed() throws Exception {
        model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 11, true);
        dev = SharedData.path("data/sts/stsb/dev.jsonl");
        sentences = new ArrayList<>(TextLines.read(dev, "sentence1"));
        sentences.addAll(TextLines.read(dev, "sentence2"));
        texts = Files.write(tmp.resolve("texts.txt"), sentences);
        Path out = tmp.resolve("plain.jsonl");
        CliRun.Result r = CliRun.run(
                "embed",
                "--model",
                model.toString(),
                "--pooling",
                "mean",
                "-i",
                texts.toString(),
                "-o",
                out.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(out);
        plain = new float[lines.size()][];
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < plain.length; i++) {
            plain[i] = json.readValue(lines.get(i), float[].class);
        }
        assertEquals(3000, plain.length);
    }

    /** {@code taskbert spark embed} of {@code input} into {@code output} with the tiny model, and more options. */
    private SparkRun.Result embed(String input, String output, String... more) {
        List<String> args = new java.util.ArrayList<>(
                List.of("embed", "--model", model.toString(), "--input", input, "--output", output));
        args.addAll(List.of(more));
        return SparkRun.run(args.toArray(String[]::new));
    }

    @Test
    void sparkVectorsAreThePlainEmbedsRowForRowInInputOrder() {
        Path out = tmp.resolve("spark-texts");
        SparkRun.Result r = embed(
                texts.toString(),
                out.toString(),
                "--pooling",
                "mean",
                "--master",
                "local[2]",
                "--texts-per-partition",
                "400");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("wrote 3000 mean vectors") && r.err().contains("8 partitions"), r.err());
        List<SparkRun.Embedded> rows = SparkRun.read(out);
        assertEquals(3000, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).id(), "part files in input order, each in id order");
            assertClose(plain[i], rows.get(i).vector(), 1e-6, "row " + i);
        }
    }

    @Test
    void aJsonlFieldIsReadAsTheTextColumnAndTheTextsKept() {
        Path out = tmp.resolve("spark-dev");
        SparkRun.Result r = embed(
                dev.toString(),
                out.toString(),
                "--pooling",
                "mean",
                "--master",
                "local[2]",
                "--text-column",
                "sentence2",
                "--keep-text");
        assertEquals(0, r.code(), r.err());
        List<SparkRun.Embedded> rows = SparkRun.read(out);
        assertEquals(1500, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).id());
            assertEquals(sentences.get(1500 + i), rows.get(i).text());
            assertClose(plain[1500 + i], rows.get(i).vector(), 1e-6, "sentence2 of line " + (i + 1));
        }
    }

    @Test
    void aTaskThatFailsOnItsFirstAttemptIsRetriedAndEveryRowWrittenOnce() throws Exception {
        Path out = tmp.resolve("spark-retried");
        Path marker = tmp.resolve("failed-once");
        SparkEmbedCommand embed = new SparkEmbedCommand();
        embed.fault = new FaultPlan(2, 150, marker.toString()); // partition 2's first attempt dies after 150 rows
        java.io.StringWriter err = new java.io.StringWriter();
        int code = new CommandLine(embed)
                .setErr(new java.io.PrintWriter(err, true))
                .execute(
                        "--model",
                        model.toString(),
                        "--pooling",
                        "mean",
                        "--input",
                        texts.toString(),
                        "--output",
                        out.toString(),
                        "--master",
                        "local[2,3]",
                        "--texts-per-partition",
                        "400");
        assertEquals(0, code, err.toString());
        assertTrue(Files.exists(marker), "the planned failure happened");
        List<SparkRun.Embedded> rows = SparkRun.read(out);
        assertEquals(3000, rows.size(), "no row lost, none twice");
        assertEquals(
                3000, rows.stream().mapToLong(SparkRun.Embedded::id).distinct().count());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).id());
            assertClose(plain[i], rows.get(i).vector(), 1e-6, "row " + i);
        }
    }

    @Test
    void withoutRetriesThePlannedFailureFailsTheCommandWithItsOwnMessage() {
        SparkEmbedCommand embed = new SparkEmbedCommand();
        embed.fault = new FaultPlan(0, 10, null);
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = new CommandLine(embed).setErr(new java.io.PrintWriter(err, true));
        cli.setExecutionExceptionHandler(
                (e, cmd, parsed) -> org.taskbert.cli.Main.report(SparkErrors.cause(e), cmd.getErr(), false));
        int code = cli.execute(
                "--model",
                model.toString(),
                "--input",
                texts.toString(),
                "--output",
                tmp.resolve("spark-failed").toString(),
                "--master",
                "local[2]");
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("error: planned failure of partition 0"), err.toString());
    }

    @Test
    void badInputNamesTheFileAndLineOrTheColumnBeforeSparkStarts() throws Exception {
        Path bad = Files.writeString(
                tmp.resolve("bad.jsonl"), "{\"text\": \"a man\"}\n{\"text\": \"a dog\"}\n{\"text\": 3}\n");
        SparkRun.Result r = embed(bad.toString(), tmp.resolve("never").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("bad.jsonl:3"), r.err());
        SparkRun.Result field = embed(dev.toString(), tmp.resolve("never").toString());
        assertTrue(
                field.code() == 1
                        && field.err().contains("dev.jsonl:1")
                        && field.err().contains("'text'"),
                field.err());
        Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(tmp.resolve("taken/other.txt"), "x");
        SparkRun.Result taken = embed(texts.toString(), tmp.resolve("taken").toString());
        assertTrue(
                taken.code() == 1
                        && taken.err().contains("taken")
                        && taken.err().contains("exists"),
                taken.err());
        SparkRun.Result two = embed(texts.toString(), tmp.resolve("never").toString(), "--pooling", "cls,mean");
        assertTrue(two.code() == 1 && two.err().contains("--pooling"), two.err());
    }

    @Test
    void parquetInputIsReadByItsTextColumn() {
        Path first = tmp.resolve("spark-for-parquet");
        assertEquals(
                0,
                embed(
                                dev.toString(),
                                first.toString(),
                                "--pooling",
                                "cls",
                                "--master",
                                "local[2]",
                                "--text-column",
                                "sentence1",
                                "--keep-text")
                        .code());
        Path again = tmp.resolve("spark-from-parquet");
        SparkRun.Result r = embed(first.toString(), again.toString(), "--pooling", "mean", "--master", "local[2]");
        assertEquals(0, r.code(), r.err());
        List<SparkRun.Embedded> rows = SparkRun.read(again);
        assertEquals(1500, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).id());
            assertClose(plain[i], rows.get(i).vector(), 1e-6, "row " + i);
        }
        SparkRun.Result missing = embed(
                first.toString(), tmp.resolve("never").toString(), "--master", "local[1]", "--text-column", "sentence");
        assertTrue(
                missing.code() == 1
                        && missing.err().contains("no column 'sentence'")
                        && missing.err().contains("id, text"),
                missing.err());
        assertEquals(Set.of(Pooling.MEAN), Pooling.parseList("mean"));
    }

    static void assertClose(float[] want, float[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what);
        for (int j = 0; j < want.length; j++) {
            if (Math.abs(want[j] - got[j]) > tolerance) {
                throw new AssertionError(what + ", dimension " + j + ": " + want[j] + " against " + got[j]);
            }
        }
    }
}
