package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.CliRun;
import org.taskbert.train.Checkpoints;
import org.taskbert.train.TrainerState;

/** Checkpoints averaged into a model: the elementwise mean, loadable as a run; mismatched inputs refused by name. */
class CheckpointAverageTest {

    private static final String TENSOR = "encoder.layer.0.output.dense.weight";

    @TempDir
    Path tmp;

    Path base;

    @BeforeEach
    void aBaseModel() throws IOException {
        base = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
    }

    private Path run(String name, String baseModel) throws IOException {
        Path run = Files.createDirectories(tmp.resolve(name));
        Files.writeString(
                run.resolve(RunFolder.RUN_JSON), "{\"base_model\": \"" + baseModel + "\", \"pooling\": \"mean\"}");
        return run;
    }

    private static Path checkpoint(Path run, long step, Map<String, Tensor> weights) throws IOException {
        TrainerState state = new TrainerState(step, 0, 0, 0, 1, Double.NaN, null, "x", Map.of(), null);
        return new Checkpoints(10).write(run, step, weights, Map.of(), state);
    }

    private static Map<String, Tensor> weights(long seed) {
        Map<String, Tensor> w =
                new LinkedHashMap<>(TinyModels.weights(seed, true).all());
        w.put("head.scale", new Tensor(new long[] {1}, new float[] {seed})); // a task head's tensor is averaged too
        return w;
    }

    private static float[] loaded(Path model) {
        return Models.load(model.toString()).weights().require(TENSOR).data();
    }

    @Test
    void theAverageIsTheElementwiseMeanAndLoadsAsARun() throws IOException {
        Path a = run("a", base.toString());
        Path b = run("b", base.toString());
        Path a2 = checkpoint(a, 2, weights(20));
        checkpoint(a, 4, weights(40));
        Checkpoints.markBest(b, checkpoint(b, 3, weights(30)));
        Path out = tmp.resolve("soup");

        CliRun.Result r = CliRun.run(
                "average",
                "--out",
                out.toString(),
                a2.toString(),
                RunFolder.best(a)
                        .getParent()
                        .resolve("checkpoints/step-00000004")
                        .toString(),
                b.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("averaged 3 checkpoints"), r.out());

        float[] x = weights(20).get(TENSOR).data();
        float[] y = weights(40).get(TENSOR).data();
        float[] z = weights(30).get(TENSOR).data();
        float[] got = loaded(out);
        assertEquals(x.length, got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals((float) (((double) x[i] + y[i] + z[i]) / 3), got[i], 0f, "element " + i);
        }
        assertFalse(got[0] == x[0] && got[1] == x[1], "the average is not one of its inputs");
        Map<String, Tensor> written =
                org.taskbert.model.format.Safetensors.read(RunFolder.best(out).resolve(RunFolder.WEIGHTS));
        assertEquals(30f, written.get("head.scale").data()[0], 1e-6f);

        JsonNode runJson =
                new ObjectMapper().readTree(out.resolve(RunFolder.RUN_JSON).toFile());
        assertEquals(base.toString(), runJson.path("base_model").asText());
        assertEquals("mean", runJson.path("pooling").asText());
        assertEquals(3, runJson.path("averaged_from").size());
        assertEquals(
                CheckpointManifest.sha256(a2.resolve(RunFolder.WEIGHTS)),
                runJson.path("averaged_from").get(0).path("sha256").asText());
        CheckpointManifest.verify(RunFolder.best(out), List.of(RunFolder.WEIGHTS));
    }

    @Test
    void checkpointsOfOtherShapesAreRefusedWithTheFileNamed() throws IOException {
        Path a = run("a", base.toString());
        Path one = checkpoint(a, 1, weights(10));
        Map<String, Tensor> other = weights(20);
        other.put(TENSOR, new Tensor(new long[] {2, 3}, new float[6]));
        Path two = checkpoint(a, 2, other);
        Path out = tmp.resolve("soup");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.write(List.of(one, two), out));
        assertTrue(e.getMessage().contains(two.resolve(RunFolder.WEIGHTS).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(TENSOR), e.getMessage());
        assertFalse(Files.exists(out), "nothing is written");

        Map<String, Tensor> fewer = weights(30);
        fewer.remove(TENSOR);
        Path three = checkpoint(a, 3, fewer);
        e = assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.write(List.of(one, three), out));
        assertTrue(e.getMessage().contains(three.resolve(RunFolder.WEIGHTS).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("lacks " + TENSOR), e.getMessage());
    }

    @Test
    void checkpointsOfAnotherBaseModelAreRefused() throws IOException {
        Path a = run("a", base.toString());
        Path b = run("b", "bert-base-uncased");
        Path one = checkpoint(a, 1, weights(10));
        Path two = checkpoint(b, 1, weights(20));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CheckpointAverage.write(List.of(one, two), tmp.resolve("o")));
        assertTrue(e.getMessage().contains(b.resolve(RunFolder.RUN_JSON).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("base_model"), e.getMessage());
    }

    @Test
    void aDamagedANonFiniteOrARepeatedCheckpointIsRefused() throws IOException {
        Path a = run("a", base.toString());
        Path one = checkpoint(a, 1, weights(10));
        Path two = checkpoint(a, 2, weights(20));
        Path out = tmp.resolve("soup");

        IllegalArgumentException twice =
                assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.write(List.of(one, one), out));
        assertTrue(twice.getMessage().contains("second time"), twice.getMessage());

        Map<String, Tensor> bad = weights(30);
        bad.get(TENSOR).data()[5] = Float.NaN;
        Path three = checkpoint(a, 3, bad);
        IllegalArgumentException nan =
                assertThrows(IllegalArgumentException.class, () -> CheckpointAverage.write(List.of(one, three), out));
        assertTrue(nan.getMessage().contains(TENSOR) && nan.getMessage().contains("NaN"), nan.getMessage());

        Path file = two.resolve(RunFolder.WEIGHTS);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        IOException damaged = assertThrows(IOException.class, () -> CheckpointAverage.write(List.of(one, two), out));
        assertTrue(damaged.getMessage().contains(file.toString()), damaged.getMessage());
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void anOccupiedOutputFolderIsLeftAlone() throws IOException {
        Path a = run("a", base.toString());
        Path one = checkpoint(a, 1, weights(10));
        Path two = checkpoint(a, 2, weights(20));
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        CliRun.Result r = CliRun.run("average", "--out", out.toString(), one.toString(), two.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(out.toString()) && r.err().contains("not an empty folder"), r.err());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals(1, Files.list(out).count());

        CliRun.Result single = CliRun.run("average", "--out", tmp.resolve("x").toString(), one.toString());
        assertEquals(2, single.code(), single.err()); // picocli's usage error: 2..* checkpoints
        CliRun.Result notOne =
                CliRun.run("average", "--out", tmp.resolve("x").toString(), one.toString(), tmp.toString());
        assertEquals(1, notOne.code());
        assertTrue(notOne.err().contains("neither a run folder"), notOne.err());
    }
}
