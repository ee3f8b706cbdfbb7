package org.taskbert.plugins.stsregression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.data.InputFormatException;
import org.taskbert.data.StsPair;
import org.taskbert.encoder.BertGraph;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskLosses;
import org.taskbert.task.TaskGraph;

/** The cosine regression loss and the batches on a tiny random model, against the same numbers computed by hand. */
class StsRegressionTaskTest {

    @TempDir
    Path tmp;

    private LoadedModel model() throws Exception {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        return new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
    }

    private StsRegressionTask task(LoadedModel model, String pooling, Integer perEpoch, int batchSize, long seed)
            throws Exception {
        Path train = SyntheticSts.write(tmp.resolve("train.jsonl"), 20, 5);
        StsRegressionConfig cfg = new StsRegressionConfig(train, 5.0, pooling, perEpoch, null);
        cfg.validate("test");
        return (StsRegressionTask) cfg.create(new TaskContext(model, model.tokenizer(), 32, batchSize, seed));
    }

    private static double graphLoss(StsRegressionTask task, Batch batch, LoadedModel model) {
        return TaskLosses.graphLoss(task, batch, model);
    }

    private void lossIsTheMeanSquaredErrorOfTheCosines(String pooling) throws Exception {
        LoadedModel model = model();
        StsRegressionTask task = task(model, pooling, null, 6, 7);
        List<StsPair> pairs = task.draw(2).subList(0, 6);
        Pooling p = Pooling.parse(pooling);
        float[][] u;
        float[][] v;
        try (TextEncoder enc = TextEncoder.open(model, 8)) {
            u = enc.embed(pairs.stream().map(StsPair::sentence1).toList(), EnumSet.of(p), false, Encoder.Progress.NONE).get(p);
            v = enc.embed(pairs.stream().map(StsPair::sentence2).toList(), EnumSet.of(p), false, Encoder.Progress.NONE).get(p);
        }
        double want = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double cos = dot(u[i], v[i]) / Math.sqrt(dot(u[i], u[i]) * dot(v[i], v[i]));
            double err = cos - pairs.get(i).score() / 5.0;
            want += err * err / pairs.size();
        }
        assertTrue(want > 1e-3, "a loss worth comparing: " + want);
        assertEquals(want, graphLoss(task, task.toBatch(pairs), model), 1e-5);
    }

    @Test
    void meanPoolingLossIsTheMeanSquaredErrorOfTheCosines() throws Exception {
        lossIsTheMeanSquaredErrorOfTheCosines("mean");
    }

    @Test
    void poolerLossIsTheMeanSquaredErrorOfTheCosines() throws Exception {
        lossIsTheMeanSquaredErrorOfTheCosines("pooler");
    }

    @Test
    void batchesAreAFunctionOfEpochAndIndexAndCoverTheShuffledPairs() throws Exception {
        LoadedModel model = model();
        StsRegressionTask task = task(model, "mean", null, 6, 7);
        BatchSource source = task.batches();
        assertEquals(3, source.batchesPerEpoch()); // 20 pairs per epoch, 6 per batch
        List<StsPair> all = StsRegressionTask.read(tmp.resolve("train.jsonl"), 5.0);
        List<StsPair> epoch0 = task.draw(0);
        List<StsPair> sorted0 = new ArrayList<>(epoch0);
        List<StsPair> sortedAll = new ArrayList<>(all);
        sorted0.sort(java.util.Comparator.comparing(StsPair::toString));
        sortedAll.sort(java.util.Comparator.comparing(StsPair::toString));
        assertEquals(sortedAll, sorted0, "an epoch is a permutation of the training pairs");
        assertNotEquals(all, epoch0, "shuffled");
        assertNotEquals(epoch0, task.draw(1), "another epoch, another order");
        assertEquals(epoch0, task(model, "mean", null, 6, 7).draw(0), "same seed and epoch, same order");
        assertNotEquals(epoch0, task(model, "mean", null, 6, 8).draw(0), "another seed, another order");

        // batch(1, 2) read cold (another task, no earlier batch) equals batch(1, 2) read after other epochs.
        source.batch(0, 0);
        source.batch(3, 1);
        Batch warm = source.batch(1, 2);
        Batch cold = task(model, "mean", null, 6, 7).batches().batch(1, 2);
        for (String name : List.of(BertGraph.INPUT_IDS, BertGraph.ATTENTION_MASK, StsRegressionTask.TARGETS,
                StsRegressionTask.ROWS_1, StsRegressionTask.ROWS_2)) {
            assertEquals(cold.placeholders().get(name), warm.placeholders().get(name), name);
        }
        // Batch (1, 2) is pairs 12..17 of epoch 1: sentence1 rows, then sentence2 rows; targets are score / 5.
        List<StsPair> slice = task.draw(1).subList(12, 18);
        assertEquals(12, warm.rows());
        assertEquals(6, warm.examples());
        INDArray ids = warm.placeholders().get(BertGraph.INPUT_IDS);
        for (int i = 0; i < 6; i++) {
            assertEquals(slice.get(i).score() / 5.0, warm.placeholders().get(StsRegressionTask.TARGETS).getDouble(i, 0), 1e-6);
            assertArrayEquals(ids(model, slice.get(i).sentence1(), ids.columns()), ids.getRow(i).toLongVector());
            assertArrayEquals(ids(model, slice.get(i).sentence2(), ids.columns()), ids.getRow(6 + i).toLongVector());
            assertEquals(1.0, warm.placeholders().get(StsRegressionTask.ROWS_1).getDouble(i, i));
            assertEquals(1.0, warm.placeholders().get(StsRegressionTask.ROWS_2).getDouble(i, 6 + i));
        }
        assertEquals(6.0, warm.placeholders().get(StsRegressionTask.ROWS_1).sumNumber().doubleValue());
        assertEquals(6.0, warm.placeholders().get(StsRegressionTask.ROWS_2).sumNumber().doubleValue());
    }

    /** A sentence's word-piece ids, padded with 0 to the batch's length. */
    private static long[] ids(LoadedModel model, String sentence, long time) {
        int[] ids = model.tokenizer().encode(sentence, 32).inputIds();
        long[] out = new long[(int) time];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    @Test
    void examplesPerEpochTakesAPrefixOfEachEpochsShuffle() throws Exception {
        LoadedModel model = model();
        StsRegressionTask task = task(model, "mean", 8, 4, 7);
        assertEquals(2, task.batches().batchesPerEpoch());
        assertEquals(task(model, "mean", null, 4, 7).draw(3).subList(0, 8), task.draw(3));
        var e = assertThrows(RuntimeException.class, () -> task(model, "mean", 21, 4, 7));
        assertTrue(e.getMessage().contains("task.examples_per_epoch") && e.getMessage().contains("20 pairs"),
                e.getMessage());
    }

    @Test
    void scoresOutsideTheScaleOrMissingNameTheFileAndLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.jsonl"), String.join("\n",
                "{\"sentence1\": \"a man\", \"sentence2\": \"a dog\", \"score\": 1.5}",
                "",
                "{\"sentence1\": \"a cat\", \"sentence2\": \"a dog\", \"score\": 2}",
                "{\"sentence1\": \"the cat\", \"sentence2\": \"a dog\", \"score\": 5.2}", ""));
        var e = assertThrows(InputFormatException.class, () -> StsRegressionTask.read(f, 5.0));
        assertTrue(e.getMessage().startsWith(f + ":4: ") && e.getMessage().contains("5.2")
                && e.getMessage().contains("task.max_score"), e.getMessage());
        assertEquals(3, StsRegressionTask.read(f, 6.0).size(), "within a scale of 6");
        Path negative = Files.writeString(tmp.resolve("neg.jsonl"),
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1}\n{\"sentence1\": \"a\", \"sentence2\": \"c\", \"score\": -0.5}\n");
        e = assertThrows(InputFormatException.class, () -> StsRegressionTask.read(negative, 5.0));
        assertTrue(e.getMessage().startsWith(negative + ":2: "), e.getMessage());
        Path unscored = Files.writeString(tmp.resolve("nan.jsonl"),
                "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1}\n{\"sentence1\": \"a\", \"sentence2\": \"c\", \"score\": \"n/a\"}\n");
        e = assertThrows(InputFormatException.class, () -> StsRegressionTask.read(unscored, 5.0));
        assertTrue(e.getMessage().startsWith(unscored + ":2: ") && e.getMessage().contains("score"), e.getMessage());
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
