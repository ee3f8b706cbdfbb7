package org.taskbert.tasks.ranking;

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
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.CliRun.Result;
import org.taskbert.model.TinyModels;
import org.taskbert.train.StepMetrics;

/** {@code taskbert train} with a pairwise-ranking task: bad configs name the field, a tiny run trains and evaluates. */
class TrainConfigErrorsTest {

    @TempDir
    Path tmp;

    /** 30 articles of 2 to 4 sentences in one lead paragraph, and 5 of one sentence. */
    private Path corpus() throws IOException {
        SplittableRandom rnd = new SplittableRandom(4);
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < 35; d++) {
            StringBuilder lead = new StringBuilder(Synthetic.sentence(rnd));
            for (int s = 0; d < 30 && s < 1 + d % 3; s++) {
                lead.append(' ').append(Synthetic.sentence(rnd));
            }
            lines.add("{\"id\": \"doc" + d + "\", \"text\": \"" + lead + "\\n\\n" + Synthetic.sentence(rnd) + "\"}");
        }
        return Files.write(tmp.resolve("corpus.jsonl"), lines);
    }

    private Path config(String task) throws IOException {
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 1, true);
        return Files.writeString(
                tmp.resolve("c.yaml"),
                "model: " + model + "\ntask: {type: pairwise-ranking, " + task
                        + "}\ntraining: {steps: 2, batch_size: 4, eval_every: 2, max_length: 24, best_metric: dev.mrr@10}\n"
                        + "output: " + tmp.resolve("run") + "\n");
    }

    @Test
    void badFieldsAreNamed() throws IOException {
        Path c = config("corpus: " + corpus() + ", dev_size: 10, loss: margin");
        Path train = Synthetic.examples(tmp.resolve("train.jsonl"), 8, 0, 1);
        String[][] cases = {
            {"task.scal=3", "task.scal"},
            {"task.loss=triplet", "task.loss"},
            {"task.pooling=max", "task.pooling"},
            {"task.scale=0", "task.scale"},
            {"task.margin=-1", "task.margin"},
            {"task.pairs=last-sentence", "task.pairs"},
            {"task.dev_size=0", "task.dev_size"},
            {"task.eval_max_length=1", "task.eval_max_length"},
            {"task.corpus=/nonexistent/c.jsonl.gz", "task.corpus"},
            {"task.train=" + train, "task.train"},
        };
        for (String[] x : cases) {
            Result r = run("train", c.toString(), "--set", x[0]);
            assertTrue(r.code() != 0 && r.err().contains(x[1]), x[0] + ": " + r.err());
        }
        Result r = run(
                "train",
                c.toString(),
                "--set",
                "task.corpus=null",
                "--set",
                "task.dev_size=null",
                "--set",
                "task.train=" + train);
        assertTrue(r.code() != 0 && r.err().contains("task.dev"), r.err());
        r = run("train", c.toString(), "--set", "task.dev_size=40");
        assertTrue(
                r.code() != 0
                        && r.err().contains("task.dev_size: a dev set of 40")
                        && r.err().contains("there are 30"),
                r.err());
    }

    @Test
    void anEmptyQueryInAnExplicitFileStopsTheRunNamingFileAndLine() throws IOException {
        Path train = Synthetic.examples(tmp.resolve("train.jsonl"), 8, 0, 1);
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.set(2, "{\"query\": \"\", \"positive\": \"the dog runs.\"}");
        Files.write(train, lines);
        Path dev = Synthetic.examples(tmp.resolve("dev.jsonl"), 4, 0, 2);
        Result r = run("train", config("train: " + train + ", dev: " + dev).toString());
        assertTrue(r.code() != 0 && r.err().contains("train.jsonl:3: empty query"), r.err());
    }

    @Test
    void aTinyRunOnCorpusPairsTrainsAndReportsTheRankingMetrics() throws IOException {
        Result r = run(
                "train",
                config("corpus: " + corpus() + ", dev_size: 10, loss: margin").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("finished at step 2"), r.out());
        Path metrics = tmp.resolve("run/metrics.jsonl");
        List<StepMetrics> steps = StepMetrics.read(metrics);
        assertEquals(List.of(1L, 2L), steps.stream().map(StepMetrics::step).toList());
        assertTrue(steps.stream().allMatch(s -> s.loss() >= 0 && Double.isFinite(s.loss())), steps.toString());
        List<JsonNode> evals = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.has("eval")) {
                evals.add(n.get("eval"));
            }
        }
        assertEquals(1, evals.size(), "evaluated at step 2");
        List<String> names = new ArrayList<>();
        evals.get(0).fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("dev.mrr@10", "dev.recall@1", "dev.recall@10"), names);
        evals.get(0).forEach(v -> assertTrue(v.asDouble() >= 0 && v.asDouble() <= 100, evals.toString()));
        assertTrue(Files.isDirectory(tmp.resolve("run/best")));
    }
}
