package org.taskbert.tasks.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.task.TaskLosses;
import org.taskbert.tasks.ranking.PairwiseRankingConfig.Loss;
import org.taskbert.train.TaskHarness;

/** The ranking losses, batches and evaluation on a tiny random model, against the same numbers computed by hand. */
class PairwiseRankingTaskTest {

    @TempDir
    Path tmp;

    LoadedModel model;

    @BeforeEach
    void model() throws Exception {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        model = new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
    }

    /** 20 training examples (every 3rd with a hard negative), 6 dev; batches of 5. */
    private PairwiseRankingTask task(String loss, String pooling) throws Exception {
        return task(loss, pooling, null);
    }

    private PairwiseRankingTask task(String loss, String pooling, Double margin) throws Exception {
        Path train = Synthetic.examples(tmp.resolve("train.jsonl"), 20, 3, 1);
        Path dev = Synthetic.examples(tmp.resolve("dev.jsonl"), 6, 0, 2);
        PairwiseRankingConfig cfg = new PairwiseRankingConfig(
                train,
                dev,
                null,
                null,
                null,
                null,
                null,
                Pooling.parse(pooling),
                loss.equals("margin") ? Loss.MARGIN : Loss.IN_BATCH,
                null,
                margin,
                null);
        cfg.validate("test");
        return (PairwiseRankingTask) cfg.create(TaskHarness.context(model, 32, 5, 7));
    }

    private double graphLoss(PairwiseRankingTask task, Batch batch) {
        return TaskLosses.graphLoss(task, batch, model);
    }

    private float[][] pooled(List<String> texts, Pooling p) {
        List<Encoding> enc = new ArrayList<>();
        texts.forEach(t -> enc.add(model.tokenizer().encode(t, 32)));
        try (SameDiffEncoder e = new SameDiffEncoder(model.weights(), 8)) {
            return e.encode(enc, EnumSet.of(p), Encoder.Progress.NONE).get(p);
        }
    }

    /** cos(query i, candidate j), the candidates being the examples' positives, then their hard negatives. */
    private double[][] cosines(List<RankingExample> examples, Pooling p) {
        float[][] q = pooled(examples.stream().map(RankingExample::query).toList(), p);
        List<String> candidates =
                new ArrayList<>(examples.stream().map(RankingExample::positive).toList());
        examples.stream().filter(RankingExample::hasNegative).forEach(e -> candidates.add(e.negative()));
        float[][] c = pooled(candidates, p);
        double[][] s = new double[q.length][c.length];
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < c.length; j++) {
                s[i][j] = dot(q[i], c[j]) / Math.sqrt(dot(q[i], q[i]) * dot(c[j], c[j]));
            }
        }
        return s;
    }

    private static List<RankingExample> withSomeNegatives(PairwiseRankingTask task) {
        List<RankingExample> batch = task.train().subList(0, 5); // examples 0 and 3 have a hard negative
        assertEquals(2, batch.stream().filter(RankingExample::hasNegative).count());
        return batch;
    }

    @Test
    void inBatchLossIsTheSoftmaxOfScaledCosinesOverEveryPositiveAndHardNegative() throws Exception {
        PairwiseRankingTask task = task("in-batch", "mean");
        List<RankingExample> examples = withSomeNegatives(task);
        double[][] s = cosines(examples, Pooling.MEAN);
        assertEquals(7, s[0].length, "5 positives and 2 hard negatives");
        double want = 0;
        for (int i = 0; i < 5; i++) {
            double lse = 0;
            for (double x : s[i]) {
                lse += Math.exp(20 * x); // the default scale; cosines are at most 1, so no overflow
            }
            want += (Math.log(lse) - 20 * s[i][i]) / 5;
        }
        assertEquals(want, graphLoss(task, task.toBatch(examples)), 1e-4);
    }

    @Test
    void marginLossIsTheMeanHingeOverEveryOtherCandidate() throws Exception {
        // A margin small enough that the tiny model's close cosines leave some hinges at zero.
        PairwiseRankingTask task = task("margin", "cls", 0.02);
        List<RankingExample> examples = withSomeNegatives(task);
        double[][] s = cosines(examples, Pooling.CLS);
        double want = 0;
        int active = 0;
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 7; j++) {
                if (j != i) {
                    double h = Math.max(0, 0.02 - s[i][i] + s[i][j]);
                    want += h / (5 * 6);
                    active += h > 0 ? 1 : 0;
                }
            }
        }
        assertTrue(active > 0 && active < 30, "some hinges active, some not: " + active);
        assertEquals(want, graphLoss(task, task.toBatch(examples)), 1e-5);
    }

    @Test
    void batchesAreQueriesThenPositivesThenHardNegativesAndAFunctionOfEpochAndIndex() throws Exception {
        PairwiseRankingTask task = task("in-batch", "mean");
        var source = task.batches();
        assertEquals(4, source.batchesPerEpoch()); // 20 examples, 5 a batch
        List<RankingExample> epoch0 = task.epoch(0);
        assertEquals(new HashSet<>(task.train()), new HashSet<>(epoch0), "an epoch is a permutation of the examples");
        assertNotEquals(epoch0, task.epoch(1), "each epoch its own order");
        assertEquals(epoch0, task.epoch(0));

        Batch b = source.batch(0, 1);
        List<RankingExample> second = epoch0.subList(5, 10);
        int negatives =
                (int) second.stream().filter(RankingExample::hasNegative).count();
        assertEquals(5, b.examples());
        assertEquals(10 + negatives, b.sequences().size());
        List<List<Integer>> ids = ids(b);
        assertEquals(ids(task.toBatch(second)), ids);
        assertEquals(ids, ids(task.batches().batch(0, 1)), "same epoch and index");
        assertNotEquals(ids, ids(source.batch(1, 1)), "another epoch");
        // Row 0 is the first query, row 5 its positive, row 10 the first hard negative.
        assertArrayEquals(
                model.tokenizer().encode(second.get(0).query(), 32).inputIds(),
                b.sequences().get(0).inputIds());
        assertArrayEquals(
                model.tokenizer().encode(second.get(0).positive(), 32).inputIds(),
                b.sequences().get(5).inputIds());
        if (negatives > 0) {
            String first = second.stream()
                    .filter(RankingExample::hasNegative)
                    .findFirst()
                    .orElseThrow()
                    .negative();
            assertArrayEquals(
                    model.tokenizer().encode(first, 32).inputIds(),
                    b.sequences().get(10).inputIds());
        }
        INDArray targets = b.placeholders().get(PairwiseRankingTask.TARGETS);
        assertEquals(List.of(5L, 5L + negatives), List.of(targets.size(0), targets.size(1)));
        assertEquals(5.0, targets.sumNumber().doubleValue());
        for (int i = 0; i < 5; i++) {
            assertEquals(1.0, targets.getDouble(i, i), "query " + i + "'s target is its own positive");
        }
        INDArray queries = b.placeholders().get(PairwiseRankingTask.ROWS_Q);
        INDArray candidates = b.placeholders().get(PairwiseRankingTask.ROWS_C);
        assertEquals(List.of(5L, 10L + negatives), List.of(queries.size(0), queries.size(1)));
        assertEquals(List.of(5L + negatives, 10L + negatives), List.of(candidates.size(0), candidates.size(1)));
        assertEquals(1.0, queries.getDouble(4, 4));
        assertEquals(1.0, candidates.getDouble(0, 5), "the first candidate is row 5, the first positive");
    }

    @Test
    void evaluationRanksAPlantedCopyFirst() throws Exception {
        // Dev positives equal to their queries: cos(q_i, p_i) = 1, every other candidate is another sentence.
        List<String> lines = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        var rnd = new java.util.SplittableRandom(5);
        while (seen.size() < 8) {
            String s = Synthetic.sentence(rnd) + " " + Synthetic.sentence(rnd);
            if (!seen.contains(s)) {
                seen.add(s);
                lines.add("{\"query\": \"" + s + "\", \"positive\": \"" + s + "\"}");
            }
        }
        Path dev = Files.write(tmp.resolve("copies.jsonl"), lines);
        Path train = Synthetic.examples(tmp.resolve("train.jsonl"), 10, 0, 1);
        PairwiseRankingConfig cfg =
                new PairwiseRankingConfig(train, dev, null, null, null, null, null, null, null, null, null, 64);
        var task = cfg.create(TaskHarness.context(model, 32, 5, 7));
        Map<String, Double> m = TaskHarness.evaluate(task, model);
        assertEquals(List.of("dev.mrr@10", "dev.recall@1", "dev.recall@10"), List.copyOf(m.keySet()));
        assertEquals(100.0, m.get("dev.recall@1"), 1e-9);
        assertEquals(100.0, m.get("dev.mrr@10"), 1e-9);
    }

    @Test
    void theTasksEvaluationIsItsEmbeddingEvaluationOnTheCurrentEncoder() throws Exception {
        PairwiseRankingTask task = task("in-batch", "mean");
        EmbeddingEvaluation eval = task.embeddingEvaluation().orElseThrow();
        float[][] v;
        try (TextEncoder enc = TextEncoder.open(model, 4, eval.maxLength())) {
            v = enc.embed(eval.texts(), EnumSet.of(Pooling.MEAN), false).get(Pooling.MEAN);
        }
        Map<String, Double> want = eval.score(v);
        Map<String, Double> got = TaskHarness.evaluate(task, model);
        assertEquals(want.keySet(), got.keySet());
        assertTrue(want.get("dev.recall@1") < 100, "a random model ranks some positive below first: " + want);
        want.forEach((k, x) -> assertEquals(x, got.get(k), 1e-9, k));
    }

    @Test
    void evaluationCutsQueriesAndCandidatesAtEvalMaxLength() throws Exception {
        // Query and positive share their first two words and differ after: cut at [CLS] w w [SEP], they are equal.
        List<String> lines = new ArrayList<>();
        var rnd = new java.util.SplittableRandom(8);
        String[] w = Synthetic.WORDS;
        for (int i = 0; i < 8; i++) {
            String lead = w[i] + " " + w[(i + 3) % w.length];
            lines.add("{\"query\": \"" + lead + " " + Synthetic.sentence(rnd) + "\", \"positive\": \"" + lead + " "
                    + Synthetic.sentence(rnd) + " " + Synthetic.sentence(rnd) + "\"}");
        }
        Path dev = Files.write(tmp.resolve("leads.jsonl"), lines);
        Path train = Synthetic.examples(tmp.resolve("train.jsonl"), 10, 0, 1);
        Map<String, Double> cut = TaskHarness.evaluate(
                new PairwiseRankingConfig(train, dev, null, null, null, null, null, null, null, null, null, 4)
                        .create(TaskHarness.context(model, 32, 5, 7)),
                model);
        assertEquals(100.0, cut.get("dev.recall@1"), 1e-9);
        Map<String, Double> whole = TaskHarness.evaluate(
                new PairwiseRankingConfig(train, dev, null, null, null, null, null, null, null, null, null, 64)
                        .create(TaskHarness.context(model, 32, 5, 7)),
                model);
        assertTrue(whole.get("dev.recall@1") < 100, "the whole texts differ: " + whole);
    }

    @Test
    void theEmbeddingEvaluationRanksPlantedVectorsAsPlanted() throws Exception {
        PairwiseRankingTask task = task("in-batch", "mean");
        EmbeddingEvaluation eval = task.embeddingEvaluation().orElseThrow();
        int n = task.dev().size();
        assertEquals(2 * n, eval.texts().size(), "the dev queries, then the candidate pool (no hard negatives in dev)");
        assertEquals(task.dev().get(2).query(), eval.texts().get(2));
        assertEquals(task.dev().get(2).positive(), eval.texts().get(n + 2));
        assertEquals(32, eval.maxLength());
        float[][] exact = new float[2 * n][n];
        float[][] shifted = new float[2 * n][n];
        for (int i = 0; i < n; i++) {
            exact[i][i] = 1;
            exact[n + i][i] = 1;
            shifted[i][i] = 1;
            // candidate j = e_j + 2 e_(j+1): query i is closest to candidate i-1 (2/sqrt 5), then its own (1/sqrt 5)
            shifted[n + i][i] = 1;
            shifted[n + i][(i + 1) % n] = 2;
        }
        Map<String, Double> top = eval.score(exact);
        assertEquals(100, top.get("dev.mrr@10"), 1e-9);
        assertEquals(100, top.get("dev.recall@1"), 1e-9);
        Map<String, Double> second = eval.score(shifted);
        assertEquals(50, second.get("dev.mrr@10"), 1e-9);
        assertEquals(0, second.get("dev.recall@1"), 1e-9);
        assertEquals(100, second.get("dev.recall@10"), 1e-9);
    }

    private static List<List<Integer>> ids(Batch b) {
        return b.sequences().stream()
                .map(e -> java.util.Arrays.stream(e.inputIds()).boxed().toList())
                .toList();
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
