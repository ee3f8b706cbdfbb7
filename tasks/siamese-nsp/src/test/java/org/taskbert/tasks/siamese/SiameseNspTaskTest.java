package org.taskbert.tasks.siamese;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.corpus.SyntheticCorpus;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.task.TaskLosses;
import org.taskbert.train.TaskHarness;

/** The siamese head, loss and batches on a tiny random model, against the same numbers computed by hand. */
class SiameseNspTaskTest {

    @TempDir
    Path tmp;

    private SiameseNspTask task(String objective, String score, String pooling) throws Exception {
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 20, 5, 1);
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
        SiameseNspConfig cfg = new SiameseNspConfig(
                corpus,
                0,
                "en",
                Pooling.parse(pooling),
                objective.equals("binary") ? SiameseNspConfig.Objective.BINARY : SiameseNspConfig.Objective.IN_BATCH,
                SiameseNspConfig.Score.valueOf(
                        score.toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
                0.5,
                10.0,
                -3.0,
                100.0,
                32,
                List.of());
        cfg.validate("test");
        return (SiameseNspTask) cfg.create(TaskHarness.context(model, 32, 6, 7));
    }

    private static double graphLoss(SiameseNspTask task, Batch batch, LoadedModel model) {
        return TaskLosses.graphLoss(task, batch, model);
    }

    private static float[][] pooled(LoadedModel model, List<String> texts, Pooling p) {
        List<Encoding> enc = new ArrayList<>();
        texts.forEach(t -> enc.add(model.tokenizer().encode(t, 32)));
        try (SameDiffEncoder e = new SameDiffEncoder(model.weights(), 8)) {
            return e.encode(enc, EnumSet.of(p), Encoder.Progress.NONE).get(p);
        }
    }

    @Test
    void binaryLossIsTheCrossEntropyOfTheInnerProducts() throws Exception {
        SiameseNspTask task = task("binary", "scaled", "pooler");
        LoadedModel model = modelOf(task);
        List<SentencePair> pairs = task.draw(6, 3);
        Batch batch = task.toBatch(pairs);
        float[][] u = pooled(model, pairs.stream().map(SentencePair::a).toList(), Pooling.POOLER);
        float[][] v = pooled(model, pairs.stream().map(SentencePair::b).toList(), Pooling.POOLER);
        double want = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double z = dot(u[i], v[i]) / 16; // scale 1/H, bias 0 at initialisation
            double y = pairs.get(i).isNext() ? 1 : 0;
            want += -(y * Math.log(sigmoid(z)) + (1 - y) * Math.log(1 - sigmoid(z))) / pairs.size();
        }
        assertEquals(want, graphLoss(task, batch, model), 1e-5);
    }

    @Test
    void centeredBinaryLossTakesOutTheBatchMeanInnerProduct() throws Exception {
        SiameseNspTask task = task("binary", "centered", "pooler");
        LoadedModel model = modelOf(task);
        List<SentencePair> pairs = task.draw(6, 3);
        float[][] u = pooled(model, pairs.stream().map(SentencePair::a).toList(), Pooling.POOLER);
        float[][] v = pooled(model, pairs.stream().map(SentencePair::b).toList(), Pooling.POOLER);
        int n = pairs.size();
        double common = 0; // mean over all A×B pairs of the inner product
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                common += dot(u[i], v[j]) / (n * n);
            }
        }
        double want = 0;
        for (int i = 0; i < n; i++) {
            double z = (dot(u[i], v[i]) - common) / 4; // scale 1/sqrt(H) = 1/4, bias 0 at initialisation
            double y = pairs.get(i).isNext() ? 1 : 0;
            want += -(y * Math.log(sigmoid(z)) + (1 - y) * Math.log(1 - sigmoid(z))) / n;
        }
        assertEquals(want, graphLoss(task, task.toBatch(pairs), model), 1e-5);
    }

    /** Binary scores of unit vectors: cosine/temperature + b, and SigLIP's e^t·cos + b (here t = ln 10, b = −3). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"cosine, 2.0", "learned-scale, 10.0"})
    void binaryCosineScoresAreTheCrossEntropyOfScaledCosinesPlusABias(String score, double scale) throws Exception {
        SiameseNspTask task = task("binary", score, "pooler_linear");
        LoadedModel model = modelOf(task);
        List<SentencePair> pairs = task.draw(6, 3);
        float[][] u = pooled(model, pairs.stream().map(SentencePair::a).toList(), Pooling.POOLER_LINEAR);
        float[][] v = pooled(model, pairs.stream().map(SentencePair::b).toList(), Pooling.POOLER_LINEAR);
        double want = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double z = scale * dot(u[i], v[i]) / Math.sqrt(dot(u[i], u[i]) * dot(v[i], v[i])) - 3;
            double y = pairs.get(i).isNext() ? 1 : 0;
            want += -(y * Math.log(sigmoid(z)) + (1 - y) * Math.log(1 - sigmoid(z))) / pairs.size();
        }
        assertEquals(want, graphLoss(task, task.toBatch(pairs), model), 1e-5);
    }

    /** The trainer's gradients (encoder + head) equal the whole-graph oracle's, for the note's vector and a remedy. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "binary, centered, pooler",
        "binary, learned-scale, pooler_linear",
        "in-batch, cosine, cls"
    })
    void theEnginesGradientsEqualTheWholeGraphOracle(String objective, String score, String pooling) throws Exception {
        SiameseNspTask task = task(objective, score, pooling);
        LoadedModel model = modelOf(task);
        java.util.Map<String, Double> errors =
                TaskHarness.engineGradientErrors(task, task.toBatch(task.draw(6, 3)), model);
        assertTrue(errors.size() > 20, "compared " + errors.keySet());
        errors.forEach((name, err) -> assertTrue(err < 1e-3, name + ": relative error " + err));
    }

    @Test
    void aStartingScaleAboveTheCapIsRefused() throws Exception {
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 20, 5, 1);
        var e = assertThrows(
                org.taskbert.spi.config.ConfigException.class,
                () -> new SiameseNspConfig(
                                corpus,
                                0,
                                null,
                                Pooling.POOLER,
                                SiameseNspConfig.Objective.BINARY,
                                SiameseNspConfig.Score.LEARNED_SCALE,
                                null,
                                200.0,
                                null,
                                100.0,
                                null,
                                null)
                        .validate("t.yaml"));
        assertTrue(e.getMessage().contains("task.init_scale"), e.getMessage());
    }

    @Test
    void inBatchLossIsTheSoftmaxOverEveryBOfTheBatch() throws Exception {
        SiameseNspTask task = task("in-batch", "cosine", "mean");
        LoadedModel model = modelOf(task);
        List<SentencePair> pairs = task.draw(5, 4);
        assertTrue(pairs.stream().allMatch(SentencePair::isNext), "in-batch trains on true next sentences only");
        float[][] u = pooled(model, pairs.stream().map(SentencePair::a).toList(), Pooling.MEAN);
        float[][] v = pooled(model, pairs.stream().map(SentencePair::b).toList(), Pooling.MEAN);
        double want = 0;
        for (int i = 0; i < 5; i++) {
            double[] s = new double[5];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 5; j++) {
                s[j] = dot(u[i], v[j]) / Math.sqrt(dot(u[i], u[i]) * dot(v[j], v[j])) / 0.5;
                max = Math.max(max, s[j]);
            }
            double lse = 0;
            for (double x : s) {
                lse += Math.exp(x - max);
            }
            want += (max + Math.log(lse) - s[i]) / 5;
        }
        assertEquals(want, graphLoss(task, task.toBatch(pairs), model), 1e-5);
    }

    @Test
    void batchesPutAsFirstAndBsSecondAndAreAFunctionOfEpochAndIndex() throws Exception {
        SiameseNspTask task = task("binary", "scaled", "pooler");
        var source = task.batches();
        assertEquals(5, source.batchesPerEpoch()); // 32 pairs per epoch, 6 per batch
        Batch b = source.batch(0, 1);
        assertEquals(12, b.sequences().size());
        assertEquals(6, b.examples());
        List<List<Integer>> ids = ids(b);
        assertEquals(ids, ids(task.batches().batch(0, 1)), "same epoch and index");
        assertNotEquals(ids, ids(source.batch(1, 1)), "another epoch, another draw");
        INDArray labels = b.placeholders().get(SiameseNspTask.LABELS);
        double positives = labels.sumNumber().doubleValue();
        assertTrue(positives >= 0 && positives <= 6);
    }

    @Test
    void corporaWithoutPairsSaySo() throws Exception {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
        TaskContext ctx = TaskHarness.context(model, 32, 4, 1);
        Path one = SyntheticCorpus.write(tmp.resolve("one.jsonl.gz"), 1, 5, 1);
        var e1 = assertThrows(
                IllegalArgumentException.class,
                () -> new SiameseNspConfig(one, 0, null, null, null, null, null, null, null, null, null, null)
                        .create(ctx));
        assertTrue(
                e1.getMessage().contains("2 documents") || e1.getMessage().contains("fewer than 2"), e1.getMessage());
        Path single = SyntheticCorpus.write(tmp.resolve("single.jsonl.gz"), 10, 1, 1);
        var e2 = assertThrows(
                IllegalArgumentException.class,
                () -> new SiameseNspConfig(single, 0, null, null, null, null, null, null, null, null, null, null)
                        .create(ctx));
        assertTrue(e2.getMessage().contains("one sentence"), e2.getMessage());
    }

    private LoadedModel modelOf(SiameseNspTask task) throws Exception {
        return new LoadedModel("tiny", TinyModels.weights(3, true), tmp.resolve("vocab.txt"), true);
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

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
