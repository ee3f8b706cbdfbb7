package org.taskbert.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.CliRun;
import org.taskbert.model.RunFolder;
import org.taskbert.model.TinyModels;
import org.taskbert.train.Checkpoints;
import org.taskbert.train.StepMetrics;
import org.taskbert.train.TaskHarness;

/**
 * {@code spark train} on a tiny model (the classification task, top layer and head trained, dropout 0.1): two workers
 * in {@code local[2]} end within 1e-5 of one process with the same global batch, seed and steps, step by step; a
 * driver killed with SIGKILL is continued by {@code --resume} to the same end; configs it cannot run name the field.
 */
class SparkTrainTest {

    @TempDir
    static Path tmp;

    static Path config;

    static final String[] PEOPLE = {"man", "woman", "playing", "guitar"};
    static final String[] ANIMALS = {"dog", "cat", "runs", "sleeps"};
    static final String[] FILLERS = {"the", "a", "is"};

    /** A planted problem in the tiny vocabulary: the label is the word set a text's content words come from. */
    static Path topics(Path file, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean people = i % 2 == 0;
            String[] words = people ? PEOPLE : ANIMALS;
            StringBuilder text = new StringBuilder(words[rnd.nextInt(words.length)]);
            for (int w = 1 + rnd.nextInt(5); w > 0; w--) {
                text.append(' ').append(rnd.nextBoolean() ? words[rnd.nextInt(words.length)] : FILLERS[rnd.nextInt(3)]);
            }
            lines.add("{\"text\": \"" + text + "\", \"label\": \"" + (people ? "people" : "animals") + "\"}");
        }
        return Files.write(file, lines);
    }

    @BeforeAll
    static void data() throws IOException {
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 5, true);
        Path train = topics(tmp.resolve("train.jsonl"), 96, 1);
        Path dev = topics(tmp.resolve("dev.jsonl"), 24, 2);
        config = Files.writeString(
                tmp.resolve("c.yaml"),
                "model: " + model + "\ntask: {type: classification, train: " + train + ", dev: " + dev
                        + ", pooling: mean}\n"
                        + "training: {steps: 8, batch_size: 4, grad_accumulation: 2, lr: 5.0e-3, head_lr: 5.0e-2,"
                        + " warmup_steps: 2, dropout: 0.1, train_layers: 1, max_length: 12, eval_every: 4,"
                        + " checkpoint_every: 2, log_every: 1, best_metric: dev.accuracy}\n"
                        + "seed: 3\noutput: " + tmp.resolve("unused") + "\n");
    }

    static Path plainRun(String name, String... sets) {
        Path run = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", config.toString(), "--set", "output=" + run));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        CliRun.Result r = CliRun.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return run;
    }

    static void assertSameRun(Path plain, Path spark, double tolerance) throws IOException {
        List<StepMetrics> a = StepMetrics.read(RunFolder.metricsFile(plain));
        List<StepMetrics> b = StepMetrics.read(RunFolder.metricsFile(spark));
        assertEquals(
                a.stream().map(StepMetrics::step).toList(),
                b.stream().map(StepMetrics::step).toList());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(
                    a.get(i).examples(), b.get(i).examples(), "step " + a.get(i).step());
            assertEquals(
                    a.get(i).loss(),
                    b.get(i).loss(),
                    tolerance,
                    "loss of step " + a.get(i).step());
        }
        double diff = TaskHarness.maxDifference(
                Checkpoints.latest(plain).orElseThrow().weights(),
                Checkpoints.latest(spark).orElseThrow().weights());
        assertTrue(diff <= tolerance, "final weights differ by " + diff);
        System.out.printf(
                "%s against %s: final weights differ by at most %.3g%n",
                spark.getFileName(), plain.getFileName(), diff);
        assertEquals(evalLines(plain).size(), evalLines(spark).size());
    }

    static List<String> evalLines(Path run) throws IOException {
        return Files.readAllLines(RunFolder.metricsFile(run)).stream()
                .filter(l -> l.contains("\"eval\""))
                .toList();
    }

    @Test
    void twoWorkersInLocal2EndWithinOneE5OfOneProcess() throws Exception {
        Path plain = plainRun("plain");
        Path spark = tmp.resolve("spark");
        SparkRun.Result r = SparkRun.run(
                "train", config.toString(), "--workers", "2", "--master", "local[2]", "--set", "output=" + spark);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("8 steps over 2 workers (master local[2])"), r.err());
        assertTrue(r.out().contains("finished at step 8"), r.out());
        assertSameRun(plain, spark, 1e-5);
        assertEquals(2, evalLines(spark).size(), "evaluated at steps 4 and 8");
        assertTrue(Files.isDirectory(spark.resolve("best")), "best checkpoint kept");
    }

    @Test
    void aDriverKilledWithSigkillIsContinuedByResumeToTheSameEnd() throws Exception {
        String[] sets = {"training.steps=24"};
        Path plain = plainRun("plain-24", sets);
        Path spark = tmp.resolve("spark-killed");
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Dio.netty") || a.startsWith("-Djdk.reflect"))
                .forEach(cmd::add);
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                SparkMain.class.getName(),
                "train",
                config.toString(),
                "--workers",
                "2",
                "--master",
                "local[2]",
                "--set",
                "output=" + spark,
                "--set",
                sets[0]));
        Path log = tmp.resolve("killed.log");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Path latest = RunFolder.latestFile(spark);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(latest) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no Spark stop
        p.waitFor();
        long killedAt = Checkpoints.latest(spark).orElseThrow().state().step();
        assertTrue(killedAt >= 2 && killedAt < 24, "killed at step " + killedAt + "; " + Files.readString(log));

        SparkRun.Result r = SparkRun.run(
                "train",
                config.toString(),
                "--workers",
                "2",
                "--master",
                "local[2]",
                "--set",
                "output=" + spark,
                "--set",
                sets[0],
                "--resume");
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err().contains((24 - killedAt) + " steps over 2 workers"), "resumed at " + killedAt + ": " + r.err());
        assertSameRun(plain, spark, 1e-5);
    }

    @Test
    void localSgdWithOneWorkerIsPlainTraining() throws Exception {
        String[] sets = {"training.checkpoint_every=4"};
        Path plain = plainRun("plain-ckpt4", sets);
        Path local = tmp.resolve("local-1");
        SparkRun.Result r = SparkRun.run(
                "train",
                config.toString(),
                "--workers",
                "1",
                "--master",
                "local[1]",
                "--local-steps",
                "4",
                "--set",
                "output=" + local,
                "--set",
                sets[0]);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("local SGD, 8 steps in 2 rounds over 1 workers"), r.err());
        assertSameRun(plain, local, 1e-5);
    }

    /** The effect of local SGD (K = 4, 2 workers) against synchronous training, 40 steps: printed, and it still learns. */
    @Test
    void localSgdWithTwoWorkersStillLearnsAndItsEffectIsReported() throws Exception {
        String[] sets = {"training.steps=40", "training.eval_every=20", "training.checkpoint_every=20"};
        Path sync = plainRun("plain-40", sets);
        Path local = tmp.resolve("local-2");
        SparkRun.Result r = SparkRun.run(
                "train",
                config.toString(),
                "--workers",
                "2",
                "--master",
                "local[2]",
                "--local-steps",
                "4",
                "--set",
                "output=" + local,
                "--set",
                sets[0],
                "--set",
                sets[1],
                "--set",
                sets[2]);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("local SGD, 40 steps in 10 rounds over 2 workers"), r.err());
        double[] a = summary(sync);
        double[] b = summary(local);
        System.out.printf(
                "local SGD effect (classification, tiny model, 40 steps of 2 micro-batches of 4): synchronous: loss of"
                        + " steps 1-5 %.4f, 36-40 %.4f, dev accuracy %.2f; local SGD K=4, 2 workers: %.4f, %.4f, %.2f%n",
                a[0], a[1], a[2], b[0], b[1], b[2]);
        assertTrue(b[1] < b[0], "local SGD's loss falls: " + b[0] + " -> " + b[1]);
        assertEquals(
                StepMetrics.read(RunFolder.metricsFile(sync)).size(),
                StepMetrics.read(RunFolder.metricsFile(local)).size());
    }

    /** Mean loss of the first and last five steps, and the last dev accuracy. */
    static double[] summary(Path run) throws IOException {
        List<StepMetrics> m = StepMetrics.read(RunFolder.metricsFile(run));
        double first = m.subList(0, 5).stream()
                .mapToDouble(StepMetrics::loss)
                .average()
                .orElseThrow();
        double last = m.subList(m.size() - 5, m.size()).stream()
                .mapToDouble(StepMetrics::loss)
                .average()
                .orElseThrow();
        List<String> evals = evalLines(run);
        double acc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(evals.get(evals.size() - 1))
                .get("eval")
                .get("dev.accuracy")
                .asDouble();
        return new double[] {first, last, acc};
    }

    @Test
    void configsItCannotRunNameTheFieldBeforeSparkStarts() {
        SparkRun.Result few = SparkRun.run("train", config.toString(), "--workers", "3");
        assertTrue(few.code() == 1 && few.err().contains("training.grad_accumulation"), few.err());
        SparkRun.Result words =
                SparkRun.run("train", config.toString(), "--workers", "2", "--set", "training.train_layers=-1");
        assertTrue(words.code() == 1 && words.err().contains("training.train_layers"), words.err());
        SparkRun.Result unknown =
                SparkRun.run("train", config.toString(), "--workers", "2", "--set", "training.stepz=3");
        assertTrue(unknown.code() == 1 && unknown.err().contains("training.stepz"), unknown.err());
    }
}
