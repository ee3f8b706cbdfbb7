package org.taskbert.tasks.siamese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.Main;
import org.taskbert.corpus.SyntheticCorpus;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.Models;
import org.taskbert.model.Tensor;
import org.taskbert.model.format.Safetensors;
import org.taskbert.spi.Pooling;
import org.taskbert.train.Checkpoints;

/**
 * The training engine end to end through the command line: a run killed with SIGKILL after a
 * checkpoint and resumed ends with the weights of an uninterrupted run; its export reloads to the
 * same vectors.
 */
class TrainResumeExportTest {

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

    private Path config(String name, int steps) throws IOException {
        return config(name, steps, -1);
    }

    private Path config(String name, int steps, int trainLayers) throws IOException {
        return Files.writeString(
                tmp.resolve(name + ".yaml"),
                String.join(
                        "\n",
                        "model: " + model,
                        "task: {type: siamese-nsp, corpus: " + corpus + ", pooling: pooler, pairs_per_epoch: 24,",
                        "       eval_sts: [" + sts + "]}",
                        "training: {steps: " + steps
                                + ", batch_size: 4, grad_accumulation: 2, lr: 1.0e-3, warmup_steps: 3,",
                        "           dropout: 0.1, train_layers: " + trainLayers
                                + ", max_length: 24, eval_every: 6, checkpoint_every: 2}",
                        "seed: 11",
                        "output: " + tmp.resolve(name),
                        ""));
    }

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
        assertEquals(0, code, err.toString());
        return code;
    }

    /** All layers and the embeddings (-1), and the top layer over a frozen one (1). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {-1, 1})
    void aKilledRunResumesToTheWeightsOfAnUninterruptedOne(int trainLayers) throws Exception {
        int steps = 12;
        run("train", config("straight", steps, trainLayers).toString());

        Path killedConfig = config("killed", steps, trainLayers);
        long stepAtKill = org.taskbert.train.TaskHarness.trainKilledAtFirstCheckpoint(
                killedConfig, tmp.resolve("killed"), tmp.resolve("killed.log"));
        assertTrue(
                stepAtKill < steps,
                "the run must be killed mid-way, was at step " + stepAtKill + "; log: "
                        + Files.readString(tmp.resolve("killed.log")));

        run("train", killedConfig.toString(), "--resume");
        Map<String, Tensor> a =
                Checkpoints.latest(tmp.resolve("straight")).orElseThrow().weights();
        Map<String, Tensor> b =
                Checkpoints.latest(tmp.resolve("killed")).orElseThrow().weights();
        assertEquals(a.keySet(), b.keySet());
        assertEquals(
                steps,
                Checkpoints.latest(tmp.resolve("killed")).orElseThrow().state().step());
        double worst = org.taskbert.train.TaskHarness.maxDifference(a, b);
        assertTrue(worst <= 1e-6, "max weight difference after resume: " + worst);
        // Training moved the weights: the comparison above is not between two untouched models.
        String trained = "encoder.layer." + (trainLayers < 0 ? 0 : 1) + ".output.dense.weight";
        float[] before =
                Models.load(model.toString()).weights().require(trained).data();
        float[] after = a.get(trained).data();
        double moved = 0;
        for (int i = 0; i < before.length; i++) {
            moved = Math.max(moved, Math.abs(before[i] - after[i]));
        }
        assertTrue(moved > 1e-3, "weights moved by " + moved);
        if (trainLayers == 1) {
            assertTrue(
                    java.util.Arrays.equals(
                            Models.load(model.toString())
                                    .weights()
                                    .require("encoder.layer.0.output.dense.weight")
                                    .data(),
                            a.get("encoder.layer.0.output.dense.weight").data()),
                    "the frozen layer is untouched");
        }
    }

    @Test
    void anExportedRunGivesTheRunsVectorsAndItsDenseModuleIsThePooler() throws Exception {
        run("train", config("run", 4).toString());
        Path out = tmp.resolve("export");
        run("export", tmp.resolve("run").toString(), "--out", out.toString());
        List<String> texts = List.of("the man is playing", "a dog runs", "");
        Map<Pooling, float[][]> fromRun;
        Map<Pooling, float[][]> fromExport;
        try (TextEncoder enc = TextEncoder.open(Models.load(tmp.resolve("run").toString()), 8)) {
            fromRun = enc.embed(texts, EnumSet.of(Pooling.CLS, Pooling.POOLER), false, Encoder.Progress.NONE);
        }
        try (TextEncoder enc = TextEncoder.open(Models.load(out.toString()), 8)) {
            fromExport = enc.embed(texts, EnumSet.of(Pooling.CLS, Pooling.POOLER), false, Encoder.Progress.NONE);
        }
        for (Pooling p : fromRun.keySet()) {
            for (int i = 0; i < texts.size(); i++) {
                for (int d = 0; d < fromRun.get(p)[i].length; d++) {
                    assertEquals(fromRun.get(p)[i][d], fromExport.get(p)[i][d], 1e-6, p + " " + i);
                }
            }
        }
        // sentence-transformers' pipeline: Pooling (cls token) then Dense with tanh gives the pooler vector.
        ObjectMapper json = new ObjectMapper();
        JsonNode modules = json.readTree(out.resolve("modules.json").toFile());
        assertEquals(3, modules.size());
        assertTrue(json.readTree(out.resolve("1_Pooling/config.json").toFile())
                .get("pooling_mode_cls_token")
                .asBoolean());
        JsonNode dense = json.readTree(out.resolve("2_Dense/config.json").toFile());
        assertEquals(
                "torch.nn.modules.activation.Tanh",
                dense.get("activation_function").asText());
        Map<String, Tensor> linear = Safetensors.read(out.resolve("2_Dense/model.safetensors"));
        float[] w = linear.get("linear.weight").data();
        float[] b = linear.get("linear.bias").data();
        int h = b.length;
        for (int i = 0; i < texts.size(); i++) {
            float[] cls = fromExport.get(Pooling.CLS)[i];
            for (int o = 0; o < h; o++) {
                double z = b[o];
                for (int k = 0; k < h; k++) {
                    z += w[o * h + k] * cls[k];
                }
                assertEquals(Math.tanh(z), fromExport.get(Pooling.POOLER)[i][o], 1e-5);
            }
        }
        assertTrue(new File(out.resolve("config.json").toString()).exists());
        assertEquals(
                "gelu",
                json.readTree(out.resolve("config.json").toFile())
                        .get("hidden_act")
                        .asText());
    }
}
