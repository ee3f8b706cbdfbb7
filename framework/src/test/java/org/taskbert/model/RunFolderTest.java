package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.train.Checkpoints;
import org.taskbert.train.TrainerState;

/** A run folder loaded as a model: its checkpoint verified, its pointers confined to the run. */
class RunFolderTest {

    private static final String TENSOR = "encoder.layer.0.output.dense.weight";

    @TempDir
    Path tmp;

    Path run;

    @BeforeEach
    void aRun() throws IOException {
        Path base = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
        run = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(run.resolve(RunFolder.RUN_JSON), "{\"base_model\": \"" + base + "\", \"pooling\": \"cls\"}");
    }

    private Path checkpoint(long step, long seed) throws IOException {
        Map<String, Tensor> weights = TinyModels.weights(seed, true).all();
        TrainerState state = new TrainerState(step, 0, 0, 0, 1, Double.NaN, null, "x", Map.of(), null);
        return new Checkpoints(10).write(run, step, weights, Map.of(), state);
    }

    private static float[] loaded(Path run) {
        return Models.load(run.toString()).weights().require(TENSOR).data();
    }

    private static float[] expected(long seed) {
        return TinyModels.weights(seed, true).require(TENSOR).data();
    }

    private static void flipLastByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
    }

    @Test
    void theBestCheckpointIsVerifiedBeforeItLoads() throws IOException {
        Checkpoints.markBest(run, checkpoint(2, 20));
        checkpoint(3, 30);
        assertArrayEquals(expected(20), loaded(run));
        Path weights = RunFolder.best(run).resolve(RunFolder.WEIGHTS);
        byte[] bytes = Files.readAllBytes(weights);
        Files.delete(weights); // a hard link to the checkpoint's file: damage the copy only
        Files.write(weights, bytes);
        flipLastByte(weights);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loaded(run));
        assertTrue(e.getMessage().contains(weights.toString()) && e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void theLatestCheckpointIsVerifiedAndALostPointerRecovered() throws IOException {
        checkpoint(2, 20);
        Path newest = checkpoint(4, 40);
        assertArrayEquals(expected(40), loaded(run));
        Files.delete(RunFolder.latestFile(run));
        assertArrayEquals(expected(40), loaded(run));
        flipLastByte(newest.resolve(RunFolder.WEIGHTS));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loaded(run));
        assertTrue(e.getMessage().contains(newest.resolve(RunFolder.WEIGHTS).toString()), e.getMessage());
    }

    @Test
    void latestPointingOutsideTheRunIsRefused() throws IOException {
        Path inside = checkpoint(2, 20);
        Path elsewhere = tmp.resolve("elsewhere");
        Files.move(inside, elsewhere);
        Files.writeString(RunFolder.latestFile(run), "../../elsewhere\n");
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loaded(run));
        assertTrue(e.getMessage().contains(RunFolder.latestFile(run).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void aBestFolderLinkedFromElsewhereIsRefused() throws IOException {
        Path elsewhere = tmp.resolve("elsewhere");
        Files.move(checkpoint(2, 20), elsewhere);
        Files.createSymbolicLink(RunFolder.best(run), elsewhere);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loaded(run));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void aCheckpointWrittenBeforeManifestsStillLoads() throws IOException {
        Path dir = checkpoint(2, 20);
        Files.delete(dir.resolve(RunFolder.MANIFEST));
        assertArrayEquals(expected(20), loaded(run));
    }

    @Test
    void oneCheckpointLoadsAsAModelVerified() throws IOException {
        Path two = checkpoint(2, 20);
        Checkpoints.markBest(run, checkpoint(3, 30));
        checkpoint(4, 40);
        assertArrayEquals(expected(20), loaded(two));
        assertArrayEquals(expected(30), loaded(RunFolder.best(run)));
        assertArrayEquals(expected(30), loaded(run));
        flipLastByte(two.resolve(RunFolder.WEIGHTS));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> loaded(two));
        assertTrue(e.getMessage().contains(two.resolve(RunFolder.WEIGHTS).toString()), e.getMessage());
    }
}
