package org.taskbert.plugins.stsregression;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.StsPair;
import org.taskbert.task.TaskLosses;
import org.taskbert.train.TaskHarness;

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
        StsRegressionConfig cfg = new StsRegressionConfig(train, 5.0, Pooling.parse(pooling), perEpoch, null);
        cfg.validate("test");
        return (StsRegressionTask) cfg.create(TaskHarness.context(model, 32, batchSize, seed));
    }

    /** The 20 training pairs in file order. */
    private List<StsPair> all() throws Exception {
        return StsRegressionTask.read(tmp.resolve("train.jsonl"), 5.0);
    }

    private void lossIsTheMeanSquaredErrorOfTheCosines(String pooling) throws Exception {
        LoadedModel model = model();
        StsRegressionTask task = task(model, pooling, null, 6, 7);
        List<StsPair> pairs = BatchSource.shuffle(all(), 7, 2).subList(0, 6);
        Pooling p = Pooling.parse(pooling);
        float[][] u;
        float[][] v;
        try (TextEncoder enc = TextEncoder.open(model, 8)) {
            u = enc.embed(pairs.stream().map(StsPair::sentence1).toList(), p);
            v = enc.embed(pairs.stream().map(StsPair::sentence2).toList(), p);
        }
        double want = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double cos = dot(u[i], v[i]) / Math.sqrt(dot(u[i], u[i]) * dot(v[i], v[i]));
            double err = cos - pairs.get(i).score() / 5.0;
            want += err * err / pairs.size();
        }
        assertTrue(want > 1e-3, "a loss worth comparing: " + want);
        assertEquals(want, TaskLosses.graphLoss(task, task.toBatch(pairs), model), 1e-5);
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
        List<StsPair> all = all();

        // One batch of 20 is a whole epoch: the SPI's shuffle of the pairs for (seed, epoch).
        List<String> epoch0 = keys(task(model, "mean", null, 20, 7).batches().batch(0, 0));
        assertEquals(keys(model, BatchSource.shuffle(all, 7, 0)), epoch0, "the epoch's shuffle for the run's seed");
        List<String> sorted0 = new ArrayList<>(epoch0);
        List<String> sortedAll = new ArrayList<>(keys(model, all));
        sorted0.sort(null);
        sortedAll.sort(null);
        assertEquals(sortedAll, sorted0, "an epoch is a permutation of the training pairs");
        assertNotEquals(keys(model, all), epoch0, "shuffled");
        assertNotEquals(epoch0, keys(task(model, "mean", null, 20, 7).batches().batch(1, 0)),
                "another epoch, another order");
        assertEquals(epoch0, keys(task(model, "mean", null, 20, 7).batches().batch(0, 0)),
                "same seed and epoch, same order");
        assertNotEquals(epoch0, keys(task(model, "mean", null, 20, 8).batches().batch(0, 0)),
                "another seed, another order");

        // batch(1, 2) read cold (another task, no earlier batch) equals batch(1, 2) read after other epochs.
        source.batch(0, 0);
        source.batch(3, 1);
        Batch warm = source.batch(1, 2);
        Batch cold = task(model, "mean", null, 6, 7).batches().batch(1, 2);
        assertEquals(ids(cold), ids(warm), "sequences");
        for (String name : List.of(StsRegressionTask.TARGETS, StsRegressionTask.ROWS_1, StsRegressionTask.ROWS_2)) {
            assertEquals(cold.placeholders().get(name), warm.placeholders().get(name), name);
        }
        // Batch (1, 2) is pairs 12..17 of epoch 1: sentence1 rows, then sentence2 rows; targets are score / 5.
        List<StsPair> slice = BatchSource.shuffle(all, 7, 1).subList(12, 18);
        assertEquals(12, warm.sequences().size());
        assertEquals(6, warm.examples());
        for (int i = 0; i < 6; i++) {
            assertEquals(slice.get(i).score() / 5.0, warm.placeholders().get(StsRegressionTask.TARGETS).getDouble(i, 0), 1e-6);
            assertArrayEquals(ids(model, slice.get(i).sentence1()), warm.sequences().get(i).inputIds());
            assertArrayEquals(ids(model, slice.get(i).sentence2()), warm.sequences().get(6 + i).inputIds());
            assertEquals(1.0, warm.placeholders().get(StsRegressionTask.ROWS_1).getDouble(i, i));
            assertEquals(1.0, warm.placeholders().get(StsRegressionTask.ROWS_2).getDouble(i, 6 + i));
        }
        assertEquals(6.0, warm.placeholders().get(StsRegressionTask.ROWS_1).sumNumber().doubleValue());
        assertEquals(6.0, warm.placeholders().get(StsRegressionTask.ROWS_2).sumNumber().doubleValue());
    }

    /** A sentence's word-piece ids, as the task encodes it (max length 32). */
    private static int[] ids(LoadedModel model, String sentence) {
        return model.tokenizer().encode(sentence, 32).inputIds();
    }

    private static List<String> ids(Batch b) {
        return b.sequences().stream().map(e -> Arrays.toString(e.inputIds())).toList();
    }

    /** Each pair as the batches show it: sentence1's ids, sentence2's ids, the target. */
    private static List<String> keys(LoadedModel model, List<StsPair> pairs) {
        return pairs.stream().map(p -> Arrays.toString(ids(model, p.sentence1())) + " "
                + Arrays.toString(ids(model, p.sentence2())) + " " + (float) (p.score() / 5.0)).toList();
    }

    private static List<String> keys(Batch b) {
        int n = b.examples();
        assertEquals(2 * n, b.sequences().size());
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Arrays.toString(b.sequences().get(i).inputIds()) + " "
                    + Arrays.toString(b.sequences().get(n + i).inputIds()) + " "
                    + b.placeholders().get(StsRegressionTask.TARGETS).getFloat(i, 0));
        }
        return out;
    }

    @Test
    void examplesPerEpochTakesAPrefixOfEachEpochsShuffle() throws Exception {
        LoadedModel model = model();
        StsRegressionTask task = task(model, "mean", 8, 4, 7);
        BatchSource source = task.batches();
        assertEquals(2, source.batchesPerEpoch());
        List<String> epoch3 = new ArrayList<>(keys(source.batch(3, 0)));
        epoch3.addAll(keys(source.batch(3, 1)));
        assertEquals(keys(model, BatchSource.shuffle(all(), 7, 3).subList(0, 8)), epoch3);
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
