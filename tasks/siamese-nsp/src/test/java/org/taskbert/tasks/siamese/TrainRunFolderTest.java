package org.taskbert.tasks.siamese;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.CliRun;
import org.taskbert.corpus.SyntheticCorpus;
import org.taskbert.model.RunFolder;
import org.taskbert.model.Tensor;
import org.taskbert.train.Checkpoints;
import org.taskbert.train.StepMetrics;
import org.taskbert.train.TaskHarness;

/**
 * {@code taskbert train} and its run folder against careless users and damaged files (issue 15, rows 2-5, 8, 14):
 * it writes only into a new, empty or own folder, one process at a time; checkpoints prove themselves; a lost
 * {@code latest} is recovered, never a restart; a resume compares the config's meaning and its data, not its text.
 */
class TrainRunFolderTest {

    @TempDir
    Path tmp;

    Path model;
    Path corpus;
    Path sts;

    @BeforeEach
    void files() throws IOException {
        model = org.taskbert.model.TinyModels.writeHuggingFace(tmp.resolve("tiny"), 5, true);
        corpus = SyntheticCorpus.write(tmp.resolve("corpus.jsonl.gz"), 40, 6, 2);
        sts = SyntheticCorpus.sts(tmp.resolve("sts.jsonl"), 40, 3);
    }

    private Path config(String name, Path output, int steps) throws IOException {
        return Files.writeString(
                tmp.resolve(name + ".yaml"),
                String.join(
                        "\n",
                        "model: " + model,
                        "task: {type: siamese-nsp, corpus: " + corpus + ", pooling: pooler, pairs_per_epoch: 24,",
                        "       eval_sts: [" + sts + "]}",
                        "training: {steps: " + steps + ", batch_size: 4, lr: 1.0e-3, warmup_steps: 1,",
                        "           max_length: 24, eval_every: 3, checkpoint_every: 2, keep_checkpoints: 2}",
                        "seed: 11",
                        "output: " + output,
                        ""));
    }

    private static CliRun.Result train(Path config, String... more) {
        String[] args = new String[2 + more.length];
        args[0] = "train";
        args[1] = config.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        return CliRun.run(args);
    }

    private static void ok(CliRun.Result r) {
        assertEquals(0, r.code(), r.err());
    }

    private static void flipLastByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(file, bytes);
    }

    @Test
    void aFolderThatIsNotARunIsRefusedAndLeftAsItWas() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("my-project"));
        Path userConfig = Files.writeString(mine.resolve("config.yaml"), "# my own settings\nlr: 3\n");
        CliRun.Result r = train(config("c", mine, 2));
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(mine.toString()) && r.err().contains("not a taskbert run folder"), r.err());
        assertEquals("# my own settings\nlr: 3\n", Files.readString(userConfig));
        try (var entries = Files.list(mine)) {
            assertEquals(List.of(userConfig), entries.toList(), "nothing was written into the folder");
        }
        // An empty folder is a new run's folder.
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ok(train(config("e", empty, 2)));
        assertEquals(2, Checkpoints.latest(empty).orElseThrow().state().step());
    }

    @Test
    void aSecondTrainOnAFolderInUseFailsAndNamesTheProcess() throws Exception {
        Path run = tmp.resolve("run");
        Path cfg = config("long", run, 100_000);
        Process first = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        org.taskbert.cli.Main.class.getName(),
                        "train",
                        cfg.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("first.log").toFile())
                .start();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (!Files.exists(RunFolder.metricsFile(run))
                    && first.isAlive()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), Files.readString(tmp.resolve("first.log")));
            byte[] configBefore = Files.readAllBytes(RunFolder.configFile(run));
            CliRun.Result second = train(cfg, "--resume");
            assertNotEquals(0, second.code());
            assertTrue(
                    second.err().contains("pid " + first.pid()) && second.err().contains(run.toString()), second.err());
            assertArrayEquals(configBefore, Files.readAllBytes(RunFolder.configFile(run)));
        } finally {
            first.destroyForcibly();
            first.waitFor(60, TimeUnit.SECONDS);
        }
        // The killed process's lock file stays behind; it does not block the next train.
        assertTrue(Files.exists(run.resolve(RunFolder.LOCK)));
        CliRun.Result resumed = train(config("short", run, 2), "--resume");
        assertFalse(resumed.err().contains("in use"), "a stale lock does not block: " + resumed.err());
    }

    @Test
    void aFlippedByteInTheWeightsRefusesToResumeAndToLoadNamingTheFile() throws IOException {
        Path run = tmp.resolve("run");
        Path cfg = config("c", run, 4);
        ok(train(cfg));
        Path latest = Checkpoints.latestDir(run).orElseThrow();
        Path weights = latest.resolve(RunFolder.WEIGHTS);
        flipLastByte(weights);
        CliRun.Result r = train(cfg, "--resume");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(weights.toString()), r.err());
        flipLastByte(weights);
        ok(train(cfg, "--resume"));

        Path best = RunFolder.best(run).resolve(RunFolder.WEIGHTS);
        Files.copy(best, tmp.resolve("best.copy"));
        Files.delete(best); // best/ is hard-linked to its checkpoint: damage this copy only
        Files.copy(tmp.resolve("best.copy"), best);
        flipLastByte(best);
        r = embedFromRun(run);
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(best.toString()), r.err());
    }

    @Test
    void aLostLatestResumesFromTheNewestCheckpointAndKeepsItsHistory() throws IOException {
        Path run = tmp.resolve("run");
        Path cfg = config("c", run, 6);
        ok(train(cfg));
        Map<String, Tensor> end = Checkpoints.latest(run).orElseThrow().weights();
        // As if killed just after step 5, before its checkpoint; then the latest pointer lost.
        Path step4 = Checkpoints.latestDir(run).orElseThrow().resolveSibling(Checkpoints.name(4));
        assertTrue(Files.isDirectory(step4));
        Path marker = Files.writeString(step4.resolve("kept"), "");
        deleteRecursively(Checkpoints.latestDir(run).orElseThrow());
        Files.delete(RunFolder.latestFile(run));
        Files.writeString(
                RunFolder.metricsFile(run),
                "{\"step\": 5, \"loss\": 1.0, \"step_seconds\": 0.1}\n{\"step\": 6, \"lo",
                java.nio.file.StandardOpenOption.APPEND);

        ok(train(cfg, "--resume"));
        assertTrue(Files.exists(marker), "the checkpoint resumed from was read, not rewritten by a restart");
        assertEquals(6, Checkpoints.latest(run).orElseThrow().state().step());
        assertTrue(TaskHarness.maxDifference(
                        end, Checkpoints.latest(run).orElseThrow().weights())
                <= 1e-6);
        List<Long> steps = StepMetrics.read(RunFolder.metricsFile(run)).stream()
                .map(StepMetrics::step)
                .toList();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), steps, "metrics.jsonl holds each step once");
    }

    @Test
    void aLostLatestWithAChangedConfigIsRefusedNotRestarted() throws IOException {
        Path run = tmp.resolve("run");
        Path cfg = config("c", run, 6);
        ok(train(cfg));
        Files.delete(RunFolder.latestFile(run));
        List<String> before = entries(RunFolder.checkpoints(run));
        CliRun.Result r = train(cfg, "--resume", "--set", "training.lr=0.002");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("training.lr"), r.err());
        assertEquals(before, entries(RunFolder.checkpoints(run)));
        // Without --resume, a folder with checkpoints is refused whatever its latest pointer says.
        r = train(cfg);
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--resume"), r.err());
        assertEquals(before, entries(RunFolder.checkpoints(run)));
    }

    @Test
    void latestPointingOutsideTheRunIsRefused() throws IOException {
        Path run = tmp.resolve("run");
        Path cfg = config("c", run, 2);
        ok(train(cfg));
        Path elsewhere = tmp.resolve("elsewhere");
        Files.move(Checkpoints.latestDir(run).orElseThrow(), elsewhere);
        Files.writeString(RunFolder.latestFile(run), "../../" + tmp.relativize(elsewhere) + "\n");
        deleteBest(run);
        CliRun.Result r = embedFromRun(run);
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(RunFolder.latestFile(run).toString()), r.err());
        r = train(cfg, "--resume");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(RunFolder.latestFile(run).toString()), r.err());
    }

    @Test
    void aResumeComparesTheConfigsMeaningAndItsDataFiles() throws IOException {
        Path run = tmp.resolve("run");
        Path cfg = config("c", run, 2);
        ok(train(cfg));
        // Comments and key order are not the config.
        List<String> lines = Files.readAllLines(cfg);
        List<String> reordered = new java.util.ArrayList<>();
        reordered.add("# resumed after a look at the numbers");
        reordered.add(lines.get(lines.size() - 1)); // output first
        reordered.addAll(lines.subList(0, lines.size() - 1));
        Files.write(cfg, reordered);
        ok(train(cfg, "--resume"));
        // The data the config names is.
        SyntheticCorpus.write(corpus, 40, 6, 3);
        CliRun.Result r = train(cfg, "--resume");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains(corpus.toString()) && r.err().contains("task.corpus"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    private static void deleteBest(Path run) throws IOException {
        deleteRecursively(RunFolder.best(run));
    }

    private Path texts() throws IOException {
        return Files.writeString(tmp.resolve("texts.txt"), "the man is playing\na dog runs\n");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code embed} with the run folder as the model. */
    private CliRun.Result embedFromRun(Path run) throws IOException {
        return CliRun.run(
                "embed",
                "--model",
                run.toString(),
                "--pooling",
                "cls",
                "--input",
                texts().toString(),
                "--output",
                tmp.resolve("v.jsonl").toString());
    }
}
