package org.taskbert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.data.JsonlVectors;
import org.taskbert.data.NpyVectors;
import org.taskbert.model.TinyModels;

/** The command line end to end on a tiny random model written to disk. */
class MainTest {

    @TempDir
    Path tmp;

    Path model;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void tinyModel() throws IOException {
        model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aTaskWithNoPluginInstalledSaysSo() throws IOException {
        Path config = Files.writeString(
                tmp.resolve("c.yaml"),
                "model: " + model + "\ntask: {type: triplet-margin}\n" + "output: " + tmp.resolve("run") + "\n");
        Result r = run("train", config.toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("field 'task': unknown type 'triplet-margin' (no task plugin is installed"), r.err);
        assertEquals(0, run("tasks").code, "an empty list is not an error");
    }

    /** Japanese through the tiny English vocabulary: embed and eval sts end with one line that says so. */
    @Test
    void textsMostlyUnknownToTheVocabularyAreReportedOnceAtTheEnd() throws IOException {
        Path in = Files.writeString(tmp.resolve("ja.txt"), "今日は晴れです。\nthe man is playing .\n明日は雨でしょう。\n");
        Result r = run(
                "embed",
                "-m",
                model.toString(),
                "-i",
                in.toString(),
                "-o",
                tmp.resolve("v.jsonl").toString());
        assertEquals(0, r.code, r.err);
        String line = "2 of 3 texts were more than half [UNK]: is the model right for this language?"
                + " (the first: \"今日は晴れです。\")";
        assertTrue(r.err.endsWith(line + System.lineSeparator()), r.err);
        assertEquals(1, r.err.split("more than half \\[UNK\\]", -1).length - 1, r.err);

        Path sts = Files.writeString(
                tmp.resolve("jsts.jsonl"),
                "{\"sentence1\": \"犬が走る。\", \"sentence2\": \"the dog runs\", \"score\": 3.2}\n"
                        + "{\"sentence1\": \"猫が寝る。\", \"sentence2\": \"the cat sleeps\", \"score\": 4.0}\n"
                        + "{\"sentence1\": \"a man\", \"sentence2\": \"a woman\", \"score\": 1.0}\n");
        r = run(
                "eval",
                "sts",
                "-m",
                model.toString(),
                "--json",
                tmp.resolve("e.json").toString(),
                sts.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(
                r.err.contains("2 of 6 texts were more than half [UNK]: is the model right for this language?"
                        + " (the first: \"犬が走る。\")"),
                r.err);

        r = run(
                "embed",
                "-m",
                model.toString(),
                "-i",
                Files.writeString(tmp.resolve("en.txt"), "the dog runs\n").toString(),
                "-o",
                tmp.resolve("v2.jsonl").toString());
        assertEquals(0, r.code, r.err);
        assertTrue(!r.err.contains("[UNK]"), r.err);
    }

    @Test
    void embedKeepsInputOrderAndEmptyLinesAndWritesOneFilePerPooling() throws IOException {
        Path in = Files.writeString(tmp.resolve("in.txt"), "the man is playing .\n\nthe dog runs !\n");
        Path out = tmp.resolve("vec.jsonl");
        Result r = run(
                "embed",
                "--model",
                model.toString(),
                "--pooling",
                "cls,mean",
                "--input",
                in.toString(),
                "--output",
                out.toString());
        assertEquals(0, r.code, r.err);
        List<float[]> cls = JsonlVectors.read(tmp.resolve("vec.cls.jsonl"));
        List<float[]> mean = JsonlVectors.read(tmp.resolve("vec.mean.jsonl"));
        assertEquals(3, cls.size());
        assertEquals(3, mean.size());
        assertEquals(16, cls.get(1).length, "the empty line still gets a vector ([CLS] [SEP])");

        Path npy = tmp.resolve("vec.npy");
        assertEquals(
                0,
                run(
                                "embed",
                                "-m",
                                model.toString(),
                                "-p",
                                "mean",
                                "-i",
                                in.toString(),
                                "-o",
                                npy.toString(),
                                "--format",
                                "npy",
                                "--normalize")
                        .code);
        float[][] normed = NpyVectors.read(npy);
        double sq = 0;
        for (float x : normed[0]) {
            sq += x * x;
        }
        assertEquals(1.0, sq, 1e-5);
        // Normalising changes only the length: same direction as the JSONL mean vector.
        double dot = 0;
        for (int d = 0; d < 16; d++) {
            dot += normed[0][d] * mean.get(0)[d];
        }
        assertEquals(dot * dot, sumSq(mean.get(0)), 1e-4 * sumSq(mean.get(0)));
    }

    private static double sumSq(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return s;
    }

    @Test
    void evalStsPrintsATableAndWritesJson() throws IOException {
        Path sts = Files.writeString(
                tmp.resolve("sts.jsonl"),
                String.join(
                        "\n",
                        "{\"sentence1\": \"the man is playing\", \"sentence2\": \"a man is playing\", \"score\": 4.5}",
                        "{\"sentence1\": \"the dog runs\", \"sentence2\": \"the cat sleeps\", \"score\": 1.0}",
                        "{\"sentence1\": \"a woman\", \"sentence2\": \"the guitar\", \"score\": \"NaN\"}",
                        "{\"sentence1\": \"the cat\", \"sentence2\": \"a cat\", \"score\": 3.0}"));
        Path json = tmp.resolve("res.json");
        Result r = run(
                "eval",
                "sts",
                "--model",
                model.toString(),
                "--pooling",
                "all",
                "--json",
                json.toString(),
                sts.toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("first_last_avg") && r.out.contains("pooler"), r.out);
        JsonNode res = new ObjectMapper().readTree(json.toFile()).get("results").get(0);
        assertEquals(3, res.get("pairs").asInt());
        assertEquals(1, res.get("skippedScores").asInt());
        assertEquals(5, res.get("spearman").size());
    }

    @Test
    void badInputNamesFileLineFieldOrByteOffset() throws IOException {
        Path broken = Files.writeString(
                tmp.resolve("broken.jsonl"),
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1}\n{\"sentence1\": \"a\", \"score\": 2}\n");
        Result r = run(
                "eval",
                "sts",
                "-m",
                model.toString(),
                "--json",
                tmp.resolve("x.json").toString(),
                broken.toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("broken.jsonl:2") && r.err.contains("sentence2"), r.err);

        Path latin1 = tmp.resolve("latin1.txt");
        Files.write(latin1, "ok\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        r = run(
                "embed",
                "-m",
                model.toString(),
                "-i",
                latin1.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("latin1.txt") && r.err.contains("byte offset 6"), r.err);

        Path jsonl = Files.writeString(tmp.resolve("texts.jsonl"), "{\"text\": \"a\"}\n{\"text\": \"b\"\n");
        r = run(
                "embed",
                "-m",
                model.toString(),
                "-i",
                jsonl.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("texts.jsonl:2"), r.err);
    }

    @Test
    void unknownPoolingOrModelListsTheValidOnes() throws IOException {
        Path in = Files.writeString(tmp.resolve("in.txt"), "a\n");
        Result r = run(
                "embed",
                "-m",
                model.toString(),
                "-p",
                "avg",
                "-i",
                in.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("unknown pooling 'avg'") && r.err.contains("first_last_avg"), r.err);

        r = run(
                "embed",
                "-m",
                "bert-large-whatever",
                "-i",
                in.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("bert-base-multilingual-cased"), r.err);
    }

    @Test
    void poolerOnAModelWithoutPoolerWeightsFailsAndWritesNothing() throws IOException {
        Path noPooler = TinyModels.writeSavedModel(tmp.resolve("nopooler"), 3, false);
        Path in = Files.writeString(tmp.resolve("in.txt"), "a\n");
        Path out = tmp.resolve("o.jsonl");
        Result r = run("embed", "-m", noPooler.toString(), "-p", "pooler", "-i", in.toString(), "-o", out.toString());
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("pooler.dense.weight"), r.err);
        assertTrue(!Files.exists(out));
    }
}
