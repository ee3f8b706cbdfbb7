package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.RunFolder;
import org.taskbert.model.Tensor;

class CheckpointsTest {

    @TempDir
    Path run;

    private static Map<String, Tensor> weights(float seed) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("dense.weight", new Tensor(new long[] {2, 3}, new float[] {seed, 1e-30f, -2.5f, 3.14159f, 0f, -0f}));
        w.put("dense.bias", new Tensor(new long[] {2}, new float[] {Float.MIN_VALUE, Float.MAX_VALUE}));
        return w;
    }

    private static Map<String, Tensor> optimizer(float seed) {
        return Map.of(
                "dense.bias/m",
                new Tensor(new long[] {2}, new float[] {seed, 0.5f}),
                "dense.bias/v",
                new Tensor(new long[] {2}, new float[] {1e-12f, 7f}));
    }

    private static TrainerState state(long step, String best) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("spearman", 0.1 + 0.2);
        metrics.put("loss", Double.NaN);
        metrics.put("max", Double.NEGATIVE_INFINITY);
        return new TrainerState(
                step,
                32 * step,
                step / 3,
                step % 3,
                42L,
                best == null ? Double.NaN : 1.0 / 3,
                best,
                "c0ffee",
                metrics,
                null);
    }

    private Path checkpoints() {
        return run.resolve(RunFolder.CHECKPOINTS);
    }

    private String latestName() throws IOException {
        return Files.readString(checkpoints().resolve(RunFolder.LATEST), StandardCharsets.UTF_8)
                .trim();
    }

    private List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertTensorsEqual(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, t) -> {
            assertArrayEquals(t.shape(), actual.get(name).shape(), name);
            assertArrayEquals(t.data(), actual.get(name).data(), name);
        });
    }

    @Test
    void roundTripIsExact() throws IOException {
        Checkpoints store = new Checkpoints();
        assertTrue(Checkpoints.latest(run).isEmpty());
        Path dir = store.write(run, 7, weights(1), optimizer(2), state(7, null));
        assertEquals(checkpoints().resolve("step-00000007"), dir);
        assertEquals("step-00000007", latestName());
        Checkpoints.Loaded loaded = Checkpoints.latest(run).orElseThrow();
        assertEquals(dir, loaded.dir());
        assertTensorsEqual(weights(1), loaded.weights());
        assertTensorsEqual(optimizer(2), loaded.optimizerState());
        assertEquals(state(7, null), loaded.state());
        assertTrue(Double.isNaN(loaded.state().bestMetric()));
        assertEquals(0.1 + 0.2, loaded.state().lastMetrics().get("spearman"), 0);
        assertEquals(
                List.of("spearman", "loss", "max"),
                List.copyOf(loaded.state().lastMetrics().keySet()));
        assertEquals(List.of(RunFolder.LATEST, "step-00000007"), entries(checkpoints()));
    }

    @Test
    void keepsTheNewestAndTheBest() throws IOException {
        Checkpoints store = new Checkpoints(2);
        for (long step = 1; step <= 5; step++) {
            store.write(run, step, weights(step), optimizer(step), state(step, "step-00000002"));
            assertEquals(Checkpoints.name(step), latestName());
        }
        assertEquals(
                List.of(RunFolder.LATEST, "step-00000002", "step-00000004", "step-00000005"), entries(checkpoints()));
        assertEquals(5, Checkpoints.latest(run).orElseThrow().state().step());
    }

    @Test
    void failedWriteLeavesThePreviousCheckpointLatest() throws IOException {
        Checkpoints store = new Checkpoints();
        store.write(run, 1, weights(1), optimizer(1), state(1, null));
        // a tensor named __metadata__ makes the optimizer file fail after the weights file was written
        Map<String, Tensor> bad = Map.of("__metadata__", new Tensor(new long[] {1}, new float[] {1}));
        IOException e = assertThrows(IOException.class, () -> store.write(run, 2, weights(2), bad, state(2, null)));
        assertTrue(e.getMessage().contains("checkpoint at step 2 not written"), e.getMessage());
        assertTrue(e.getMessage().contains("the last good checkpoint is step-00000001"), e.getMessage());
        assertEquals("step-00000001", latestName());
        assertEquals(List.of(RunFolder.LATEST, "step-00000001"), entries(checkpoints()));
        assertEquals(1, Checkpoints.latest(run).orElseThrow().state().step());
    }

    @Test
    void failedFirstWriteSaysThereIsNoCheckpoint() {
        Map<String, Tensor> bad = Map.of("__metadata__", new Tensor(new long[] {1}, new float[] {1}));
        IOException e = assertThrows(
                IOException.class, () -> new Checkpoints().write(run, 1, bad, optimizer(1), state(1, null)));
        assertTrue(e.getMessage().contains("there is no earlier checkpoint"), e.getMessage());
        assertFalse(Files.exists(checkpoints().resolve(RunFolder.LATEST)));
    }

    @Test
    void leftoverTempFoldersAreIgnoredAndKept() throws IOException {
        new Checkpoints().write(run, 2, weights(2), optimizer(2), state(2, null));
        Path leftover = checkpoints().resolve(".step-00000003.tmp-1234abcd");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve(RunFolder.STATE), "{ truncated");
        assertEquals(2, Checkpoints.latest(run).orElseThrow().state().step());
        assertTrue(Files.exists(leftover));
    }

    @Test
    void latestNamingAMissingFolderIsAnError() throws IOException {
        new Checkpoints().write(run, 2, weights(2), optimizer(2), state(2, null));
        Files.writeString(checkpoints().resolve(RunFolder.LATEST), "step-00000009\n");
        IOException e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
        assertTrue(
                e.getMessage().contains(checkpoints().resolve(RunFolder.LATEST).toString()), e.getMessage());
        assertTrue(
                e.getMessage().contains(checkpoints().resolve("step-00000009").toString()), e.getMessage());
    }

    @Test
    void markBestCopiesAndReplaces() throws IOException {
        Checkpoints store = new Checkpoints(1);
        Path first = store.write(run, 1, weights(1), optimizer(1), state(1, "step-00000001"));
        Checkpoints.markBest(run, first);
        Path second = store.write(run, 2, weights(2), optimizer(2), state(2, "step-00000002"));
        Checkpoints.markBest(run, second);
        Checkpoints.Loaded best = Checkpoints.read(run.resolve(RunFolder.BEST));
        assertEquals(2, best.state().step());
        assertTensorsEqual(weights(2), best.weights());
        assertEquals(List.of(RunFolder.BEST, RunFolder.CHECKPOINTS), entries(run));
        assertEquals(List.of(RunFolder.LATEST, "step-00000002"), entries(checkpoints()));
    }

    @Test
    void checkWritableAcceptsAGoodFolder() throws IOException {
        Checkpoints.checkWritable(run.resolve("new-run"), 1000);
        assertEquals(List.of(), entries(run.resolve("new-run").resolve(RunFolder.CHECKPOINTS)));
    }

    @Test
    void checkWritableRejectsAFolderThatCannotBeCreated() throws IOException {
        Path file = Files.writeString(run.resolve("a-file"), "x");
        Path runDir = file.resolve("run");
        IOException e = assertThrows(IOException.class, () -> Checkpoints.checkWritable(runDir, 0));
        assertTrue(e.getMessage().contains(runDir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not writable"), e.getMessage());
    }

    @Test
    void checkWritableRejectsTooLittleSpace() {
        IOException e = assertThrows(IOException.class, () -> Checkpoints.checkWritable(run, Long.MAX_VALUE));
        assertTrue(e.getMessage().contains(run.toString()), e.getMessage());
        assertTrue(e.getMessage().matches(".*needs 9223372036\\.9 GB free for checkpoints, has \\d.*"), e.getMessage());
    }

    private static void flipLastByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
    }

    @Test
    void eachCheckpointHasAManifestOfItsFilesWrittenWithIt() throws IOException {
        Path dir = new Checkpoints().write(run, 3, weights(3), optimizer(3), state(3, null));
        assertEquals(
                List.of(RunFolder.MANIFEST, RunFolder.OPTIMIZER, RunFolder.STATE, RunFolder.WEIGHTS), entries(dir));
        com.fasterxml.jackson.databind.JsonNode files = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve(RunFolder.MANIFEST).toFile())
                .get("files");
        for (String f : RunFolder.CHECKPOINT_FILES) {
            assertEquals(Files.size(dir.resolve(f)), files.get(f).get("bytes").asLong(), f);
            assertEquals(
                    org.taskbert.model.CheckpointManifest.sha256(dir.resolve(f)),
                    files.get(f).get("sha256").asText(),
                    f);
        }
    }

    @Test
    void aFlippedByteInAnyFileIsAnErrorNamingIt() throws IOException {
        for (String f : RunFolder.CHECKPOINT_FILES) {
            Path dir = new Checkpoints().write(run, 4, weights(4), optimizer(4), state(4, null));
            flipLastByte(dir.resolve(f));
            IOException e = assertThrows(IOException.class, () -> Checkpoints.latest(run), f);
            assertTrue(e.getMessage().contains(dir.resolve(f).toString()), e.getMessage());
            assertTrue(e.getMessage().contains("damaged"), e.getMessage());
            e = assertThrows(IOException.class, () -> Checkpoints.read(dir), f);
            assertTrue(e.getMessage().contains(dir.resolve(f).toString()), e.getMessage());
            flipLastByte(dir.resolve(f));
            assertEquals(4, Checkpoints.latest(run).orElseThrow().state().step());
        }
    }

    @Test
    void aCutFileAndAMissingManifestAreErrors() throws IOException {
        Path dir = new Checkpoints().write(run, 4, weights(4), optimizer(4), state(4, null));
        byte[] w = Files.readAllBytes(dir.resolve(RunFolder.WEIGHTS));
        Files.write(dir.resolve(RunFolder.WEIGHTS), java.util.Arrays.copyOf(w, w.length - 4));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
        assertTrue(e.getMessage().contains(dir.resolve(RunFolder.WEIGHTS).toString()), e.getMessage());
        Files.write(dir.resolve(RunFolder.WEIGHTS), w);
        Files.delete(dir.resolve(RunFolder.MANIFEST));
        e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
        assertTrue(e.getMessage().contains(dir.resolve(RunFolder.MANIFEST).toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be verified"), e.getMessage());
        Files.writeString(dir.resolve(RunFolder.MANIFEST), "{\"algorithm\": \"SHA-256\", \"files\": [");
        e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
        assertTrue(e.getMessage().contains(dir.resolve(RunFolder.MANIFEST) + " is damaged"), e.getMessage());
    }

    @Test
    void aMissingOrEmptyLatestIsRecoveredFromTheNewestCheckpoint() throws IOException {
        Checkpoints store = new Checkpoints(3);
        for (long step = 1; step <= 3; step++) {
            store.write(run, step, weights(step), optimizer(step), state(step, null));
        }
        Files.delete(checkpoints().resolve(RunFolder.LATEST));
        assertTrue(Checkpoints.any(run));
        Checkpoints.Loaded loaded = Checkpoints.latest(run).orElseThrow();
        assertEquals(3, loaded.state().step());
        assertTensorsEqual(weights(3), loaded.weights());
        Files.writeString(checkpoints().resolve(RunFolder.LATEST), "\n");
        assertEquals(3, Checkpoints.latest(run).orElseThrow().state().step());
    }

    @Test
    void aMissingLatestIsNotRecoveredPastADamagedNewestCheckpoint() throws IOException {
        Checkpoints store = new Checkpoints(3);
        for (long step = 1; step <= 3; step++) {
            store.write(run, step, weights(step), optimizer(step), state(step, null));
        }
        Files.delete(checkpoints().resolve(RunFolder.LATEST));
        Path newest = checkpoints().resolve(Checkpoints.name(3)).resolve(RunFolder.WEIGHTS);
        flipLastByte(newest);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
        assertTrue(e.getMessage().contains(RunFolder.LATEST + " is missing"), e.getMessage());
        assertTrue(e.getMessage().contains(newest.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("step-00000002"), "names the next one: " + e.getMessage());
        assertEquals(List.of("step-00000001", "step-00000002", "step-00000003"), entries(checkpoints()));
    }

    @Test
    void latestIsConfinedToTheCheckpointsFolder() throws IOException {
        new Checkpoints().write(run, 2, weights(2), optimizer(2), state(2, null));
        Path elsewhere = Files.createDirectories(run.resolveSibling(run.getFileName() + "-elsewhere"));
        try {
            Files.move(checkpoints().resolve("step-00000002"), elsewhere.resolve("step-00000002"));
            Path latest = checkpoints().resolve(RunFolder.LATEST);
            Files.writeString(latest, "../../" + elsewhere.getFileName() + "/step-00000002\n");
            IOException e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
            assertTrue(
                    e.getMessage().contains(latest.toString()) && e.getMessage().contains("outside"), e.getMessage());
            // a checkpoint folder that is a link to one elsewhere
            Files.createSymbolicLink(checkpoints().resolve("step-00000002"), elsewhere.resolve("step-00000002"));
            Files.writeString(latest, "step-00000002\n");
            e = assertThrows(IOException.class, () -> Checkpoints.latest(run));
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        } finally {
            try (Stream<Path> walk = Files.walk(elsewhere)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void theBestCopyCarriesTheManifestAndIsVerified() throws IOException {
        Path dir = new Checkpoints().write(run, 1, weights(1), optimizer(1), state(1, "step-00000001"));
        Checkpoints.markBest(run, dir);
        Path best = run.resolve(RunFolder.BEST);
        assertEquals(entries(dir), entries(best));
        assertEquals(1, Checkpoints.read(best).state().step());
        Path state = best.resolve(RunFolder.STATE);
        String text = Files.readString(state);
        Files.delete(state); // the copy is a hard link: replace it, not the checkpoint's file
        Files.writeString(state, text.replace("42", "43"));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.read(best));
        assertTrue(e.getMessage().contains(state.toString()), e.getMessage());
    }
}
