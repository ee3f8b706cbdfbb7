package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.Main;
import org.taskbert.model.TinyModels;

/**
 * The document task through the real trainer ({@code taskbert train}) on a planted problem: the label is the order of
 * two sentences, which the mean of the sentence vectors cannot see and the attention layer with positions learns.
 */
class DocumentTrainingTest {

    @TempDir
    Path tmp;

    record Result(int code, String err) {}

    static Result train(Path config, String... more) {
        StringWriter err = new StringWriter();
        String[] args = new String[2 + more.length];
        args[0] = "train";
        args[1] = config.toString();
        System.arraycopy(more, 0, args, 2, more.length);
        int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), args);
        return new Result(code, err.toString());
    }

    Path config(String task, String training) throws IOException {
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
        Path corpus = SyntheticDocuments.order(tmp.resolve("order.jsonl.gz"), 160, 9);
        return Files.writeString(
                tmp.resolve("run.yaml"),
                String.join(
                        "\n",
                        "model: " + model,
                        "task: {type: document, corpus: " + corpus + ", cache_dir: " + tmp.resolve("cache") + ",",
                        "       test_fraction: 0.25, max_sentences: 4, max_length: 16, heads: 2, ffn_size: 32,",
                        "       baselines: [mean_of_sentences], kmeans_restarts: 2" + task + "}",
                        "training: {" + training + "}",
                        "seed: 3",
                        "output: " + tmp.resolve("run"),
                        ""));
    }

    @Test
    void theAttentionLayerLearnsSentenceOrderThatTheMeanCannotSee() throws Exception {
        Path c = config(
                "",
                "steps: 30, batch_size: 16, lr: 1.0e-2, warmup_steps: 3, dropout: 0.1, train_layers: 0,"
                        + " train_pooler: false, max_length: 16, eval_every: 30");
        Result r = train(c);
        assertEquals(0, r.code, r.err);
        List<String> lines = Files.readAllLines(tmp.resolve("run").resolve("metrics.jsonl"));
        JsonNode eval = null;
        for (String line : lines) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.has("eval")) {
                eval = n.get("eval");
            }
        }
        assertTrue(eval != null, "no evaluation in " + lines);
        assertEquals("doc.accuracy", eval.fieldNames().next(), "the task's main metric comes first");
        double doc = eval.get("doc.accuracy").asDouble();
        double mean = eval.get("mean.probe_accuracy").asDouble();
        assertTrue(doc >= 0.9, "document head accuracy " + doc + "; " + lines);
        assertTrue(mean <= 0.75, "the mean of the sentence vectors cannot see the order, yet got " + mean);
        assertTrue(eval.get("doc.p@10").asDouble() > eval.get("mean.p@10").asDouble(), eval.toString());
    }

    @Test
    void aFrozenSentenceEncoderWithEncoderLayersToTrainIsAClearError() throws Exception {
        Result r = train(config("", "steps: 2, batch_size: 4, eval_every: 2"));
        assertNotEquals(0, r.code);
        assertTrue(r.err.contains("training.train_layers: 0") && r.err.contains("task.sentence_encoder"), r.err);
    }
}
