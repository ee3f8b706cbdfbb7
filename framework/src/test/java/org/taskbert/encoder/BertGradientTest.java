package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.RandomWeights;
import org.taskbert.model.Tensor;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * {@link Bert}'s hand-written backward pass against the SameDiff whole-graph oracle ({@link GradientOracle}) and
 * against finite differences of {@link NaiveBert} in double precision, on tiny random models: every pooling,
 * frozen-bottom and all-layer training, dropout off and on with identical masks.
 */
class BertGradientTest {

    static final BertConfig TINY = BertConfig.of(50, 16, 2, 4, 24, 40, 2);

    /**
     * Sequences of lengths 4..23 (4: the shortest that {@code prompt} reads) with both segments, so that every table
     * and the packing are exercised.
     */
    static List<Encoding> inputs(BertConfig c, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Encoding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 4 + rnd.nextInt(20);
            int[] ids = new int[len];
            int[] types = new int[len];
            for (int j = 0; j < len; j++) {
                ids[j] = rnd.nextInt(c.vocabSize());
                types[j] = j >= len / 2 ? 1 : 0;
            }
            out.add(new Encoding(ids, types, false));
        }
        return out;
    }

    /** A fixed random weighting R of each pooling: the loss is Σ_p Σ R_p ∘ tanh(pool_p), a non-linear head. */
    static Map<Pooling, float[]> weighting(Set<Pooling> poolings, int rows, int h, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<Pooling, float[]> out = new EnumMap<>(Pooling.class);
        for (Pooling p : poolings) {
            float[] r = new float[rows * h];
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) rnd.nextGaussian();
            }
            out.put(p, r);
        }
        return out;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Pooling p : Pooling.values()) {
            for (int first : new int[] {0, 1, 2}) {
                for (double dropout : new double[] {0, 0.1}) {
                    out.add(Arguments.of(p, first, dropout));
                }
            }
        }
        return out.stream();
    }

    /**
     * firstTrained 0 trains everything (embeddings too), 1 the top layer and the pooler, 2 the pooler alone (a
     * pooling other than pooler then has nothing to train).
     */
    @ParameterizedTest(name = "{0}, first trained layer {1}, dropout {2}")
    @MethodSource("cases")
    void gradientsEqualTheWholeGraphOracle(Pooling pooling, int first, double dropout) {
        BertWeights w = RandomWeights.create(TINY, 5, true, 0.3);
        check(w, inputs(TINY, 5, 11), EnumSet.of(pooling), first, dropout, 1e-4);
    }

    /** bert-base sized check is in BertBaseGradientTest; this one: all poolings in one loss, all layers, dropout. */
    @Test
    void allPoolingsTogether() {
        BertWeights w = RandomWeights.create(TINY, 7, true, 0.3);
        check(w, inputs(TINY, 6, 3), EnumSet.allOf(Pooling.class), 0, 0.1, 1e-4);
    }

    /** Checks every trained weight's gradient against the oracle; returns how many tensors were compared. */
    static int check(
            BertWeights w, List<Encoding> batch, Set<Pooling> poolings, int first, double dropout, double tol) {
        BertConfig c = w.config();
        boolean all = first == 0;
        Bert bert = new Bert(w, first, all, true);
        Map<String, INDArray> ph = BertInputs.of(batch, c.maxPositions());
        Tokens tokens = Tokens.of(ph, c.maxPositions());
        Dropout drop =
                Dropout.draw(dropout, tokens, c.hiddenSize(), c.numHeads(), c.numLayers(), new SplittableRandom(9));
        Map<Pooling, float[]> r = weighting(poolings, batch.size(), c.hiddenSize(), 13);

        Bert.Pass pass = bert.forward(tokens, drop, true);
        Map<Pooling, float[]> pooled = bert.pool(pass, poolings);
        Map<Pooling, float[]> dPool = new EnumMap<>(Pooling.class);
        pooled.forEach((p, v) -> {
            float[] g = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                double t = Math.tanh(v[i]);
                g[i] = (float) (r.get(p)[i] * (1 - t * t));
            }
            dPool.put(p, g);
        });
        bert.backward(pass, dPool, Map.of());
        Map<String, INDArray> ours = GradientOracle.ours(bert);

        if (ours.isEmpty() || first == c.numLayers() && poolings.stream().noneMatch(Pooling::needsPooler)) {
            ours.forEach((name, g) -> assertEquals(0.0, g.amaxNumber().doubleValue(), name + " has nothing to train"));
            return 0;
        }
        Map<String, INDArray> want = GradientOracle.gradients(w, bert::trainable, ph, drop, dropout, tokens, g -> {
            SDVariable loss = null;
            for (Pooling p : poolings) {
                SDVariable pooledVar = g.pool(p);
                org.nd4j.autodiff.samediff.SameDiff sd = pooledVar.getSameDiff();
                SDVariable term = sd.math
                        .tanh(pooledVar)
                        .mul(sd.constant(Nd4j.create(r.get(p), new long[] {batch.size(), c.hiddenSize()}, 'c')))
                        .sum();
                loss = loss == null ? term : loss.add(term);
            }
            return loss;
        });
        for (String name : ours.keySet()) {
            INDArray mine = ours.get(name);
            INDArray theirs = want.get(name);
            String where = name + " (first trained " + first + ", dropout " + dropout + ", " + poolings + ")";
            if (theirs == null) {
                // Not in the oracle's graph (the pooler when the loss does not read it): no gradient at all.
                assertEquals(0.0, mine.amaxNumber().doubleValue(), where);
                continue;
            }
            if (name.endsWith("attention.self.key.bias")) {
                // Analytically zero (softmax ignores a constant added to a row of scores): both must be rounding noise.
                double ref = want.get(name.replace("key.bias", "query.bias"))
                        .amaxNumber()
                        .doubleValue();
                assertTrue(mine.amaxNumber().doubleValue() <= 1e-4 * ref, where + ": " + mine.amaxNumber());
                continue;
            }
            double err = GradientOracle.relativeError(mine, theirs);
            assertTrue(err <= tol, where + ": relative error " + err);
        }
        assertEquals(
                want.keySet().stream().filter(n -> !ours.containsKey(n)).toList(),
                List.of(),
                "the oracle trains nothing that the encoder does not");
        return want.size();
    }

    /** prompt reads the [MASK] of [CLS] ... [MASK] . [SEP]: a shorter input is refused, not read at a wrong row. */
    @Test
    void promptPoolingRefusesASequenceTooShortForItsTemplate() {
        Bert bert = new Bert(RandomWeights.create(TINY, 5, true, 0.3));
        Tokens t = Tokens.of(List.of(new Encoding(new int[] {2, 7, 3}, new int[3], false)), List.of(0), 40);
        Bert.Pass pass = bert.forward(t, Dropout.NONE, false);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> bert.pool(pass, EnumSet.of(Pooling.PROMPT)));
        assertTrue(e.getMessage().contains("has 3 token(s)"), e.getMessage());
    }

    /** The same sequences one at a time, gradients summed, give the batch's gradients: packing mixes nothing. */
    @Test
    void aBatchOfDifferentLengthsEqualsItsSequencesOneAtATime() {
        BertWeights w = RandomWeights.create(TINY, 21, true, 0.3);
        List<Encoding> batch = inputs(TINY, 5, 17);
        Set<Pooling> poolings = EnumSet.allOf(Pooling.class);
        Map<Pooling, float[]> r = weighting(poolings, batch.size(), TINY.hiddenSize(), 5);
        Bert together = new Bert(w, 0, true, true);
        run(together, batch, r, 0, batch.size());
        Bert alone = new Bert(w, 0, true, true);
        for (int i = 0; i < batch.size(); i++) {
            run(alone, batch.subList(i, i + 1), r, i, batch.size());
        }
        Map<String, INDArray> a = GradientOracle.ours(together);
        Map<String, INDArray> b = GradientOracle.ours(alone);
        for (String name : a.keySet()) {
            if (name.endsWith("attention.self.key.bias")) {
                continue; // analytically zero: rounding noise on both sides (checked against the oracle above)
            }
            double err = GradientOracle.relativeError(b.get(name), a.get(name));
            assertTrue(err <= 1e-5, name + ": " + err);
        }
    }

    /** Forward and backward of rows [from, from + batch) of a batch of {@code total} with loss Σ R ∘ pool. */
    private static void run(Bert bert, List<Encoding> batch, Map<Pooling, float[]> r, int from, int total) {
        int h = TINY.hiddenSize();
        Tokens t = Tokens.of(BertInputs.of(batch, TINY.maxPositions()), TINY.maxPositions());
        Bert.Pass pass = bert.forward(t, Dropout.NONE, true);
        bert.pool(pass, r.keySet());
        Map<Pooling, float[]> d = new EnumMap<>(Pooling.class);
        r.forEach((p, v) -> d.put(p, java.util.Arrays.copyOfRange(v, from * h, (from + batch.size()) * h)));
        bert.backward(pass, d, Map.of());
    }

    /**
     * Finite differences of {@link NaiveBert} (double precision, no graph, no SameDiff) for a sample of weights in
     * every kind of tensor: central differences of Σ_p R_p · pool_p for one sequence.
     */
    @Test
    void gradientsEqualFiniteDifferencesInDoublePrecision() {
        BertWeights w = RandomWeights.create(TINY, 31, true, 0.3);
        int[] ids = {2, 17, 5, 33, 8, 41, 3};
        Set<Pooling> poolings = EnumSet.of(
                Pooling.CLS,
                Pooling.POOLER,
                Pooling.POOLER_LINEAR,
                Pooling.MEAN,
                Pooling.FIRST_LAST_AVG,
                Pooling.PROMPT);
        Map<Pooling, float[]> r = weighting(poolings, 1, TINY.hiddenSize(), 3);
        Bert bert = new Bert(w, 0, true, true);
        Tokens t = Tokens.of(List.of(new Encoding(ids, new int[ids.length], false)), List.of(0), TINY.maxPositions());
        Bert.Pass pass = bert.forward(t, Dropout.NONE, true);
        bert.pool(pass, poolings);
        bert.backward(pass, r, Map.of());
        Map<String, INDArray> ours = GradientOracle.ours(bert);
        SplittableRandom rnd = new SplittableRandom(1);
        int checked = 0;
        for (String name : ours.keySet()) {
            Tensor tensor = w.require(name);
            for (int k = 0; k < 3; k++) {
                int idx = name.equals(WordGradient.NAME)
                        ? ids[rnd.nextInt(ids.length)] * TINY.hiddenSize() + rnd.nextInt(TINY.hiddenSize())
                        : rnd.nextInt(tensor.data().length);
                float orig = tensor.data()[idx];
                double eps = 1e-3;
                tensor.data()[idx] = (float) (orig + eps);
                double up = naiveLoss(w, ids, r);
                double dUp = tensor.data()[idx] - (double) orig;
                tensor.data()[idx] = (float) (orig - eps);
                double down = naiveLoss(w, ids, r);
                double dDown = orig - (double) tensor.data()[idx];
                tensor.data()[idx] = orig;
                double fd = (up - down) / (dUp + dDown);
                double got = ours.get(name).reshape(-1).getDouble(idx);
                double scale = Math.max(1e-2, ours.get(name).amaxNumber().doubleValue());
                assertEquals(fd, got, 2e-3 * scale, name + "[" + idx + "]");
                checked++;
            }
        }
        assertTrue(checked >= 3 * 16, "checked " + checked);
    }

    private static double naiveLoss(BertWeights w, int[] ids, Map<Pooling, float[]> r) {
        NaiveBert naive = new NaiveBert(w);
        double loss = 0;
        for (Map.Entry<Pooling, float[]> e : r.entrySet()) {
            double[] v = naive.pool(e.getKey(), ids);
            for (int i = 0; i < v.length; i++) {
                loss += e.getValue()[i] * v[i];
            }
        }
        return loss;
    }
}
