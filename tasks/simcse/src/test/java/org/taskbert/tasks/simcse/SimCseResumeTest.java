package org.taskbert.tasks.simcse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.Main;
import org.taskbert.corpus.SyntheticCorpus;
import org.taskbert.model.Models;
import org.taskbert.model.RunFolder;
import org.taskbert.model.Tensor;
import org.taskbert.train.Checkpoints;
import org.taskbert.train.StepMetrics;

/** A SimCSE run (both positives, the copy with repetitions) killed with SIGKILL and resumed ends with the weights of an uninterrupted run. */
class SimCseResumeTest {

    @TempDir
    Path tmp;

    private Path config(String name, Path model, Path corpus, Path sts) throws Exception {
        return Files.writeString(
                tmp.resolve(name + ".yaml"),
                String.join(
                        "\n",
                        "model: " + model,
                        "task: {type: simcse, corpus: " + corpus
                                + ", min_words: 2, positive: both, repetition: 0.32, eval_sts: [" + sts + "]}",
                        "training: {steps: 10, batch_size: 4, lr: 1.0e-3, warmup_steps: 2, dropout: 0.1, train_layers: -1,",
                        "           max_length: 24, eval_every: 5, checkpoint_every: 2}",
                        "seed: 5",
                        "output: " + tmp.resolve(name),
                        ""));
    }

    @Test
    void aKilledRunResumesToTheWeightsOfAnUninterruptedOne() throws Exception {
        Path model = org.taskbert.model.TinyModels.writeHuggingFace(tmp.resolve("tiny"), 5, true);
        Path corpus = SyntheticCorpus.write(tmp.resolve("corpus.jsonl.gz"), 30, 5, 2);
        Path sts = SyntheticCorpus.sts(tmp.resolve("sts.jsonl"), 30, 3);
        run("train", config("straight", model, corpus, sts).toString());

        Path killed = config("killed", model, corpus, sts);
        long atKill = org.taskbert.train.TaskHarness.trainKilledAtFirstCheckpoint(
                killed, tmp.resolve("killed"), tmp.resolve("killed.log"));
        assertTrue(atKill < 10, "killed mid-way, at step " + atKill);
        run("train", killed.toString(), "--resume");

        Map<String, Tensor> a =
                Checkpoints.latest(tmp.resolve("straight")).orElseThrow().weights();
        Map<String, Tensor> b =
                Checkpoints.latest(tmp.resolve("killed")).orElseThrow().weights();
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.containsKey("head.mlp.weight"), "SimCSE's MLP trains with the run: " + a.keySet());
        double worst = org.taskbert.train.TaskHarness.maxDifference(a, b);
        assertTrue(worst <= 1e-6, "max weight difference after resume: " + worst);
        String w = "encoder.layer.0.output.dense.weight";
        float[] before = Models.load(model.toString()).weights().require(w).data();
        double moved = 0;
        for (int i = 0; i < before.length; i++) {
            moved = Math.max(moved, Math.abs(before[i] - a.get(w).data()[i]));
        }
        assertTrue(moved > 1e-4, "training moved the weights by " + moved);
        List<StepMetrics> steps = StepMetrics.read(RunFolder.metricsFile(tmp.resolve("straight")));
        assertEquals(10, steps.size());
        assertTrue(steps.stream().allMatch(m -> Double.isFinite(m.loss()) && m.loss() > 0));
    }

    private static void run(String... args) {
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args), err.toString());
    }
}
