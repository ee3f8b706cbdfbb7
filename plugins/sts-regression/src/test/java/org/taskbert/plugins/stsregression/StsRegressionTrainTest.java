package org.taskbert.plugins.stsregression;

import static org.taskbert.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taskbert.cli.CliRun.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.SharedData;
import org.taskbert.config.ConfigLoader;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.TaskModule;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.Checkpoints;
import org.taskbert.train.StepMetrics;
import org.taskbert.train.TaskHarness;
import org.taskbert.train.TrainConfig;

/**
 * The plugin as a user meets it: found on the classpath by ServiceLoader, selected by {@code task.type} in a config
 * file, trained by {@code taskbert train}; config errors name the field; a plugin failing at setup is named.
 */
class StsRegressionTrainTest {

    @TempDir
    Path tmp;
    Path model;
    Path train;
    Path dev;

    @BeforeEach
    void files() throws IOException {
        model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 5, true);
        train = SyntheticSts.write(tmp.resolve("train.jsonl"), 8, 1);
        dev = SyntheticSts.write(Files.createDirectories(tmp.resolve("sts")).resolve("dev.jsonl"), 30, 2);
    }

    private Path config(int steps) throws IOException {
        return Files.writeString(tmp.resolve("sts-regression.yaml"), String.join("\n",
                "model: " + model,
                "task:",
                "  type: sts-regression",
                "  train: " + train,
                "  max_score: 5",
                "  pooling: mean",
                "  eval_sts: [" + dev + "]",
                "training: {steps: " + steps + ", batch_size: 8, lr: 1.0e-2, warmup_steps: 0, dropout: 0.0,",
                "           train_layers: -1, max_length: 16, eval_every: 3, checkpoint_every: 2}",
                "seed: 3",
                "output: " + tmp.resolve("run"),
                ""));
    }

    @Test
    void discoveryFindsThePluginByItsName() {
        assertTrue(TaskRegistry.discover().names().contains("sts-regression"), TaskRegistry.discover().names().toString());
    }

    @Test
    void aConfigFileSelectsThePluginByNameAndTrainingLowersItsLoss() throws Exception {
        Path cfg = config(3); // a SameDiff step costs seconds even on a tiny model: few steps, a high learning rate
        TaskRegistry registry = TaskRegistry.discover();
        TrainConfig read = new ConfigLoader(List.of(registry.jacksonModule())).read(cfg, TrainConfig.class, List.of());
        assertInstanceOf(StsRegressionConfig.class, read.task());

        Result r = run("train", cfg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finished at step 3") && r.out().contains("sts/dev.spearman"), r.out());
        List<Double> losses = StepMetrics.read(tmp.resolve("run/metrics.jsonl")).stream().map(StepMetrics::loss)
                .toList();
        List<JsonNode> evals = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(tmp.resolve("run/metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.has("eval")) {
                evals.add(n.get("eval"));
            }
        }
        // 8 pairs, 8 a batch, dropout off: each step's loss is the loss over all the training data (in another order).
        assertEquals(3, losses.size());
        assertTrue(losses.get(1) < losses.get(0) && losses.get(2) < 0.8 * losses.get(0), losses.toString());
        assertEquals(1, evals.size());
        double spearman = evals.get(0).get("sts/dev.spearman").asDouble();
        assertTrue(spearman >= -100 && spearman <= 100, evals.toString());
        assertTrue(Files.isDirectory(tmp.resolve("run/best")));
        assertEquals(3, Checkpoints.latest(tmp.resolve("run")).orElseThrow().state().step());
        assertEquals("mean", json.readTree(tmp.resolve("run/run.json").toFile()).get("pooling").asText());
    }

    @Test
    void configErrorsNameTheField() throws IOException {
        Path c = config(2);
        Result r = run("train", c.toString(), "--set", "task.trian=" + train);
        assertTrue(r.code() != 0 && r.err().contains("task.trian"), r.err());
        r = run("train", c.toString(), "--set", "task.train=/nonexistent/train.jsonl");
        assertTrue(r.code() != 0 && r.err().contains("task.train") && r.err().contains("/nonexistent/train.jsonl"), r.err());
        r = run("train", c.toString(), "--set", "task.train=null");
        assertTrue(r.code() != 0 && r.err().contains("missing required field 'task.train'"), r.err());
        r = run("train", c.toString(), "--set", "task.max_score=0");
        assertTrue(r.code() != 0 && r.err().contains("task.max_score"), r.err());
        r = run("train", c.toString(), "--set", "task.max_score=high");
        assertTrue(r.code() != 0 && r.err().contains("task.max_score"), r.err());
        r = run("train", c.toString(), "--set", "task.pooling=first_last_avg");
        assertTrue(r.code() != 0 && r.err().contains("task.pooling"), r.err());
        r = run("train", c.toString(), "--set", "task.eval_sts=[" + tmp.resolve("missing.jsonl") + "]");
        assertTrue(r.code() != 0 && r.err().contains("task.eval_sts[0]"), r.err());
        r = run("train", c.toString(), "--set", "task.examples_per_epoch=0");
        assertTrue(r.code() != 0 && r.err().contains("task.examples_per_epoch"), r.err());
        // A score above max_score is caught when the data is read, naming the file and line.
        r = run("train", c.toString(), "--set", "task.max_score=2");
        assertTrue(r.code() != 0 && r.err().contains(train + ":") && r.err().contains("task.max_score"), r.err());
        assertTrue(Checkpoints.latest(tmp.resolve("run")).isEmpty(), "nothing was trained");
    }

    @Test
    void aPluginThatThrowsDuringSetupIsNamed() {
        TaskModule broken = new TaskModule() {
            @Override
            public String name() {
                return "broken-plugin";
            }

            @Override
            public void configure(com.google.inject.Binder binder) {
                throw new IllegalStateException("cannot find its model zoo");
            }
        };
        var e = assertThrows(IllegalStateException.class,
                () -> TaskRegistry.of(List.of(new StsRegressionModule(), broken)));
        assertTrue(e.getMessage().contains("broken-plugin") && e.getMessage().contains("cannot find its model zoo"),
                e.getMessage());
        assertNotEquals(-1, TaskRegistry.of(List.of(new StsRegressionModule())).names().stream().toList()
                .indexOf("sts-regression"), "the working plugin alone registers");
    }

    @Test
    void theShippedConfigReadsAndItsTrainingDataIsInRange() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent().getParent(); // plugins/sts-regression -> repo root
        Path shipped = repo.resolve("configs/sts-regression-stsb.yaml");
        TrainConfig cfg = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()))
                .read(shipped, TrainConfig.class, List.of());
        StsRegressionConfig task = assertInstanceOf(StsRegressionConfig.class, cfg.task());
        assertEquals("bert-base-uncased", cfg.model());
        // The config's paths are relative to the repository root, ../shared beside it.
        StsRegressionConfig local = new StsRegressionConfig(shared(task.train()), task.maxScore(), task.pooling(),
                task.examplesPerEpoch(), task.evalSts().stream().map(StsRegressionTrainTest::shared).toList());
        local.validate(shipped.toString());
        // Reading the real STS-B train file checks every score is within [0, max_score] (no model is run).
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel tiny = new LoadedModel("tiny", TinyModels.weights(1, true), vocab, true);
        var t = (StsRegressionTask) local.create(TaskHarness.context(tiny, 32, cfg.training().batchSize(), cfg.seed()));
        assertEquals(5749 / cfg.training().batchSize(), t.batches().batchesPerEpoch());
    }

    private static Path shared(Path p) {
        String s = p.toString();
        assertTrue(s.startsWith("../shared/"), s);
        return SharedData.path(s.substring("../shared/".length()));
    }
}
