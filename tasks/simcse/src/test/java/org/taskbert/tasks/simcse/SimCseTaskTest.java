package org.taskbert.tasks.simcse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.corpus.SyntheticCorpus;
import org.taskbert.encoder.Bert;
import org.taskbert.encoder.Dropout;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.encoder.Tokens;
import org.taskbert.model.BertConfig;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.task.TaskLosses;
import org.taskbert.tasks.simcse.SimCseConfig.Positive;
import org.taskbert.train.TaskHarness;

/** SimCSE's loss against the same number computed by hand, and its two passes' different dropout masks. */
class SimCseTaskTest {

    @TempDir
    Path tmp;

    private LoadedModel model() throws Exception {
        Path vocab = tmp.resolve("vocab.txt");
        if (!Files.exists(vocab)) {
            Files.write(vocab, TinyModels.vocab());
        }
        return new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
    }

    private SimCseTask task(LoadedModel model, Positive positive, double nextWeight) throws Exception {
        return task(model, positive, nextWeight, 0);
    }

    private SimCseTask task(LoadedModel model, Positive positive, double nextWeight, double repetition)
            throws Exception {
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 12, 4, 1);
        SimCseConfig cfg = new SimCseConfig(
                corpus, 0, "en", 2, Pooling.MEAN, false, positive, nextWeight, 0.05, repetition, 0, List.of(), 0, null);
        cfg.validate("test");
        return (SimCseTask) cfg.create(TaskHarness.context(model, 32, 5, 7));
    }

    private static float[][] pooled(LoadedModel model, List<String> texts) {
        try (TextEncoder enc = TextEncoder.open(model, 8, 32)) {
            return enc.embed(texts, EnumSet.of(Pooling.MEAN), true).get(Pooling.MEAN);
        }
    }

    /** Mean over rows of logsumexp_j(⟨u_i, v_j⟩ / τ) − ⟨u_i, v_i⟩ / τ, for unit rows. */
    private static double infoNce(float[][] u, float[][] v, double tau) {
        double loss = 0;
        for (int i = 0; i < u.length; i++) {
            double[] s = new double[v.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v.length; j++) {
                for (int k = 0; k < u[i].length; k++) {
                    s[j] += (double) u[i][k] * v[j][k] / tau;
                }
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            for (double x : s) {
                sum += Math.exp(x - max);
            }
            loss += (max + Math.log(sum) - s[i]) / u.length;
        }
        return loss;
    }

    @Test
    void dropoutLossIsTheInBatchSoftmaxOfEachSentenceAgainstItsCopy() throws Exception {
        LoadedModel model = model();
        SimCseTask task = task(model, Positive.DROPOUT, 0.5);
        Batch batch = task.batches().batch(0, 0);
        assertEquals(10, batch.sequences().size(), "5 sentences, each twice");
        List<SentencePair> first = firstBatch(task);
        float[][] u = pooled(model, first.stream().map(SentencePair::a).toList());
        // Without dropout the two copies are the same vector: the positive's logit is 1 / τ.
        assertEquals(infoNce(u, u, 0.05), TaskLosses.graphLoss(task, batch, model), 1e-4);
    }

    @Test
    void bothWeighsTheDropoutAndTheNextSentenceLosses() throws Exception {
        LoadedModel model = model();
        SimCseTask task = task(model, Positive.BOTH, 0.25);
        Batch batch = task.batches().batch(0, 0);
        assertEquals(15, batch.sequences().size(), "5 sentences, their copies, their next sentences");
        List<SentencePair> first = firstBatch(task);
        float[][] u = pooled(model, first.stream().map(SentencePair::a).toList());
        float[][] next = pooled(model, first.stream().map(SentencePair::b).toList());
        double want = 0.75 * infoNce(u, u, 0.05) + 0.25 * infoNce(u, next, 0.05);
        assertEquals(want, TaskLosses.graphLoss(task, batch, model), 1e-4);
    }

    /**
     * The whole step's gradients, as the trainer computes them (hand-written encoder + the task's head graph), equal
     * the oracle's (the same loss over the SameDiff BERT graph): [CLS] with the training-only MLP as SimCSE trains
     * it, mean pooling, the mean of layer 1's and the last layer's means ({@code first_last_avg}, whose gradient
     * also enters below the top layer), and PromptBERT's [MASK] state (the batch's texts in its template), each with
     * the next sentence as a second positive.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"cls, true", "mean, false", "first_last_avg, false", "prompt, false"})
    void theEnginesGradientsEqualTheWholeGraphOracle(String pooling, boolean mlp) throws Exception {
        LoadedModel model = model();
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 12, 4, 1);
        SimCseConfig cfg = new SimCseConfig(
                corpus, 0, "en", 2, Pooling.parse(pooling), mlp, Positive.BOTH, 0.3, 0.05, 0.0, 0, List.of(), 0, null);
        cfg.validate("test");
        SimCseTask task = (SimCseTask) cfg.create(TaskHarness.context(model, 32, 5, 7));
        Map<String, Double> errors =
                TaskHarness.engineGradientErrors(task, task.batches().batch(0, 0), model);
        assertTrue(errors.size() > 20, "compared " + errors.keySet());
        errors.forEach((name, err) -> assertTrue(err < 1e-3, name + ": relative error " + err));
    }

    @Test
    void theTwoCopiesOfASentenceDrawDifferentDropoutMasks() throws Exception {
        LoadedModel model = model();
        SimCseTask task = task(model, Positive.DROPOUT, 0.5);
        Batch batch = task.batches().batch(0, 0);
        int n = batch.examples();
        for (int i = 0; i < n; i++) {
            assertArrayEquals(
                    batch.sequences().get(i).inputIds(),
                    batch.sequences().get(n + i).inputIds());
        }
        BertConfig c = model.config();
        Tokens tokens = Tokens.of(batch.sequences(), c.maxPositions());
        Bert bert = new Bert(model.weights());
        Dropout drop = Dropout.draw(0.1, tokens, c.hiddenSize(), c.numHeads(), c.numLayers(), new SplittableRandom(3));
        float[] noisy = bert.pool(bert.forward(tokens, drop, false), EnumSet.of(Pooling.MEAN))
                .get(Pooling.MEAN);
        float[] clean = bert.pool(bert.forward(tokens, Dropout.NONE, false), EnumSet.of(Pooling.MEAN))
                .get(Pooling.MEAN);
        int h = c.hiddenSize();
        for (int i = 0; i < n; i++) {
            assertTrue(maxDiff(noisy, i * h, (n + i) * h, h) > 1e-4, "copy " + i + " must see another mask");
            assertEquals(0, maxDiff(clean, i * h, (n + i) * h, h), 1e-6, "without dropout the copies agree");
        }
    }

    /**
     * With {@code repetition} the second copies are the first with some word pieces repeated: the loss is each
     * sentence against its repeated copy's vector, computed by hand from the copies' own texts' ids, and the step's
     * gradients still equal the oracle's.
     */
    @Test
    void repetitionPairsEachSentenceWithItsRepeatedCopy() throws Exception {
        LoadedModel model = model();
        SimCseTask task = task(model, Positive.DROPOUT, 0.5, 0.5);
        Batch batch = task.batches().batch(0, 0);
        int n = batch.examples();
        int longer = 0;
        for (int i = 0; i < n; i++) {
            int[] a = batch.sequences().get(i).inputIds();
            int[] b = batch.sequences().get(n + i).inputIds();
            assertTrue(b.length >= a.length, "a copy only gains pieces");
            longer += b.length > a.length ? 1 : 0;
        }
        assertTrue(longer > 0, "some copy of the batch repeats a piece");
        BertConfig c = model.config();
        Bert bert = new Bert(model.weights());
        float[] all = bert.pool(
                        bert.forward(Tokens.of(batch.sequences(), c.maxPositions()), Dropout.NONE, false),
                        EnumSet.of(Pooling.MEAN))
                .get(Pooling.MEAN);
        int h = c.hiddenSize();
        float[][] u = new float[n][h];
        float[][] v = new float[n][h];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all, i * h, u[i], 0, h);
            System.arraycopy(all, (n + i) * h, v[i], 0, h);
        }
        assertEquals(infoNce(unit(u), unit(v), 0.05), TaskLosses.graphLoss(task, batch, model), 1e-4);
        Map<String, Double> errors = TaskHarness.engineGradientErrors(task, batch, model);
        assertTrue(errors.size() > 20, "compared " + errors.keySet());
        errors.forEach((name, err) -> assertTrue(err < 1e-3, name + ": relative error " + err));
    }

    /** Repetition acts on the dropout copy: a config without one, or with prompt's fixed layout, is refused. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"mean, next, does not have", "prompt, dropout, [MASK]"})
    void repetitionWithoutADropoutCopyOrWithPromptIsRefused(String pooling, String positive, String says)
            throws Exception {
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 12, 4, 1);
        SimCseConfig cfg = new SimCseConfig(
                corpus,
                0,
                "en",
                2,
                Pooling.parse(pooling),
                false,
                Positive.valueOf(positive.toUpperCase(java.util.Locale.ROOT)),
                0.5,
                0.05,
                0.32,
                0,
                List.of(),
                0,
                null);
        var e = org.junit.jupiter.api.Assertions.assertThrows(
                org.taskbert.spi.config.ConfigException.class, () -> cfg.validate("simcse.yaml"));
        assertTrue(e.getMessage().contains("simcse.yaml: field 'task.repetition'"), e.getMessage());
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    private static float[][] unit(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double norm = 0;
            for (float f : x[i]) {
                norm += (double) f * f;
            }
            out[i] = new float[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                out[i][k] = (float) (x[i][k] / Math.sqrt(norm));
            }
        }
        return out;
    }

    private static double maxDiff(float[] x, int a, int b, int len) {
        double worst = 0;
        for (int k = 0; k < len; k++) {
            worst = Math.max(worst, Math.abs(x[a + k] - x[b + k]));
        }
        return worst;
    }

    /** SentEval scores SimCSE untruncated: evaluation runs at the model's length unless eval_max_length says less. */
    @Test
    void evaluationIsNotTruncatedToTheTrainingLength() throws Exception {
        LoadedModel model = model();
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 12, 4, 1);
        int positions = model.config().maxPositions();
        for (int asked : new int[] {0, 9, positions + 100}) {
            SimCseConfig cfg = new SimCseConfig(
                    corpus, 0, "en", 2, Pooling.CLS, true, Positive.DROPOUT, 0.5, 0.05, 0.0, 0, List.of(), asked, null);
            cfg.validate("test");
            SimCseTask task = (SimCseTask) cfg.create(TaskHarness.context(model, 8, 5, 7));
            assertEquals(asked == 9 ? 9 : positions, task.sts().maxLength(), "eval_max_length " + asked);
        }
    }

    /**
     * eval_pooling is the vector scored (so the one the best checkpoint is picked by) and exported; unset, it is the
     * trained pooling; prompt, which templates the text, cannot be mixed with another.
     */
    @Test
    void evalPoolingIsTheScoredAndExportedVector() throws Exception {
        LoadedModel model = model();
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 12, 4, 1);
        for (Pooling asked : new Pooling[] {null, Pooling.FIRST_LAST_AVG, Pooling.MAX}) {
            SimCseConfig cfg = new SimCseConfig(
                    corpus, 0, "en", 2, Pooling.MEAN, false, Positive.DROPOUT, 0.5, 0.05, 0.0, 0, List.of(), 0, asked);
            cfg.validate("test");
            Pooling want = asked == null ? Pooling.MEAN : asked;
            SimCseTask task = (SimCseTask) cfg.create(TaskHarness.context(model, 8, 5, 7));
            assertEquals(want, task.sts().pooling(), "eval_pooling " + asked);
            assertEquals(want, cfg.exportSpec().pooling(), "eval_pooling " + asked);
        }
        for (Pooling[] mixed : new Pooling[][] {{Pooling.PROMPT, Pooling.MEAN}, {Pooling.MEAN, Pooling.PROMPT}}) {
            SimCseConfig cfg = new SimCseConfig(
                    corpus, 0, "en", 2, mixed[0], false, Positive.DROPOUT, 0.5, 0.05, 0.0, 0, List.of(), 0, mixed[1]);
            var e = org.junit.jupiter.api.Assertions.assertThrows(
                    org.taskbert.spi.config.ConfigException.class, () -> cfg.validate("simcse.yaml"));
            assertTrue(e.getMessage().contains("simcse.yaml: field 'task.eval_pooling'"), e.getMessage());
        }
    }

    /** The sentences of batch (0, 0): the first five of epoch 0's shuffle. */
    private static List<SentencePair> firstBatch(SimCseTask task) {
        return new ArrayList<>(
                org.taskbert.spi.BatchSource.shuffle(task.sentences(), 7, 0).subList(0, 5));
    }
}
