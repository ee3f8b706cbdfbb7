package org.taskbert.tasks.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.CliRun.Result;
import org.taskbert.model.TinyModels;
import org.taskbert.train.StepMetrics;

/** {@code taskbert train} with the classification task: a planted problem is learnt; bad configs name the field. */
class ClassificationTrainTest {

    @TempDir
    Path tmp;

    private Path config(String task, String training) throws IOException {
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 5, true);
        return Files.writeString(
                tmp.resolve("c.yaml"),
                "model: " + model + "\ntask: {type: classification, " + task + "}\ntraining: {" + training
                        + "}\nseed: 3\noutput: " + tmp.resolve("run") + "\n");
    }

    @Test
    void aTinyModelLearnsWhichWordSetATextUses() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 200, 1);
        Path dev = SyntheticTopics.write(tmp.resolve("dev.jsonl"), 60, 2);
        // Mean pooling keeps each word's embedding in the vector, so the planted signal is there from the start; the
        // top layer and the head are trained (training all layers, embeddings included, is 7× slower a step here).
        Path c = config(
                "train: " + train + ", dev: " + dev + ", pooling: mean",
                "steps: 40, batch_size: 8, lr: 5.0e-3, head_lr: 5.0e-2, warmup_steps: 2, dropout: 0, train_layers: 1,"
                        + " max_length: 12, eval_every: 40, log_every: 40, best_metric: dev.accuracy");
        Result r = run("train", c.toString());
        assertEquals(0, r.code(), r.err());
        List<Double> losses = StepMetrics.read(tmp.resolve("run/metrics.jsonl")).stream()
                .map(StepMetrics::loss)
                .toList();
        ObjectMapper json = new ObjectMapper();
        JsonNode eval = null;
        for (String line : Files.readAllLines(tmp.resolve("run/metrics.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.has("eval")) {
                eval = n.get("eval");
            }
        }
        assertEquals(40, losses.size());
        double first = losses.subList(0, 4).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        double last = losses.subList(36, 40).stream()
                .mapToDouble(Double::doubleValue)
                .average()
                .orElseThrow();
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        assertTrue(eval != null && eval.get("dev.accuracy").asDouble() >= 90, "dev metrics " + eval);
        assertTrue(eval.get("dev.macro_f1").asDouble() >= 90, "dev metrics " + eval);
    }

    @Test
    void compareSetsTheFineTunedRunBesideGenericEmbeddingsOnItsEvaluationSet() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 120, 1);
        Path dev = SyntheticTopics.write(tmp.resolve("dev.jsonl"), 40, 2);
        Path c = config(
                "train: " + train + ", dev: " + dev + ", pooling: mean",
                "steps: 30, batch_size: 8, lr: 5.0e-3, head_lr: 5.0e-2, warmup_steps: 2, dropout: 0, train_layers: 1,"
                        + " max_length: 12, eval_every: 30, log_every: 30, best_metric: dev.accuracy");
        assertEquals(0, run("train", c.toString()).code());
        Path run = tmp.resolve("run");
        Path model = tmp.resolve("tiny");
        Path out = tmp.resolve("compare");
        Path cc = Files.writeString(
                tmp.resolve("compare.yaml"),
                "models: [" + model + "]\ntasks:\n  runs: [" + run + "]\n  poolings: [cls, mean]\n  sentence_vectors: ["
                        + run + "]\n  baselines: [tfidf]\nbatch_size: 16\noutput: " + out + "\n");
        Result r = run("compare", cc.toString());
        assertEquals(0, r.code(), r.err());

        JsonNode task = new ObjectMapper()
                .readTree(out.resolve("results.json").toFile())
                .get("tasks")
                .get(0);
        assertEquals("classification", task.get("task").asText());
        assertEquals("dev.accuracy", task.get("primaryMetric").asText());
        List<String> names = new ArrayList<>();
        task.get("rows")
                .forEach(row -> names.add(
                        row.get("embedding").asText() + " | " + row.get("kind").asText()));
        assertEquals(
                List.of(
                        "fine-tuned run (step 30) | task-specific",
                        "tiny cls | generic",
                        "tiny cls whitened | generic",
                        "tiny mean | generic",
                        "tiny mean whitened | generic",
                        "run mean | sentence-vectors",
                        "run mean whitened | sentence-vectors",
                        "tf-idf | baseline"),
                names);
        JsonNode best = new ObjectMapper()
                .readTree(run.resolve("best/state.json").toFile())
                .get("lastMetrics");
        JsonNode own = task.get("rows").get(0).get("metrics");
        assertEquals(
                best.get("dev.accuracy").asDouble(),
                own.get("dev.accuracy").asDouble(),
                0,
                "the task-specific row is the run's own evaluation at its best checkpoint");
        // A probe on the fine-tuned encoder's mean vectors separates the topics the run learnt.
        JsonNode tuned = task.get("rows").get(5).get("metrics");
        assertTrue(tuned.get("dev.accuracy").asDouble() >= 90, "probe on the run's vectors: " + tuned);
        JsonNode tfidf = task.get("rows").get(7).get("metrics");
        assertTrue(tfidf.get("dev.accuracy").asDouble() >= 90, "each topic has its own words: " + tfidf);
        for (JsonNode row : task.get("rows")) {
            double acc = row.get("metrics").get("dev.accuracy").asDouble();
            assertTrue(acc >= 0 && acc <= 100, row.toString());
        }
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(
                report.contains("## Task-specific against generic") && report.contains("| classification |"), report);
        assertTrue(Files.size(out.resolve("task-run.png")) > 1000);

        Files.delete(run.resolve("best/state.json"));
        Result missing = run("compare", cc.toString());
        assertTrue(
                missing.code() != 0
                        && missing.err().contains("tasks.runs[0]")
                        && missing.err().contains("no evaluated best checkpoint"),
                missing.err());
    }

    @Test
    void badConfigsNameTheField() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 8, 1);
        Path dev = SyntheticTopics.write(tmp.resolve("dev.jsonl"), 4, 2);
        Path c = config("train: " + train + ", dev: " + dev, "steps: 2, batch_size: 2, eval_every: 2");
        String[][] cases = {
            {"task.text_feld=text", "task.text_feld"},
            {"task.corpus=" + train, "not both"},
            {"task.dev=/nonexistent/dev.jsonl", "task.dev"},
            {"task.pooling=max", "task.pooling"},
            {"task.split={dev: 0.2}", "task.split"},
            {"task.labels=[people, people]", "task.labels"},
            {"task.labels=[people, animals, plants]", "class 'plants' has no training examples"},
            {"task.max_examples=0", "task.max_examples"},
            {"task.label_field=topic", train + ":1: missing field 'topic'"},
        };
        for (String[] k : cases) {
            Result r = run("train", c.toString(), "--set", k[0]);
            assertTrue(r.code() != 0 && r.err().contains(k[1]), k[0] + " -> " + r.err());
        }
        Path corpus = SyntheticTopics.write(tmp.resolve("corpus.jsonl"), 8, 3);
        Path cc = config("corpus: " + corpus + ", split: {dev: 0.6, test: 0.5}", "steps: 2, batch_size: 2");
        Result r = run("train", cc.toString());
        assertTrue(
                r.code() != 0 && r.err().contains("task.split.dev") && r.err().contains("task.split.test"), r.err());
    }
}
