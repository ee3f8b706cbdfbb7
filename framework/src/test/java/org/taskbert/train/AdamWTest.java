package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.Tensor;

class AdamWTest {

    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-6;
    private static final double WD = 0.1;

    /** The scalar reference, in double precision, for one parameter element. */
    private static final class Reference {
        double p;
        double m;
        double v;

        Reference(double p) {
            this.p = p;
        }

        void step(double g, double lr, long t, boolean decay) {
            m = B1 * m + (1 - B1) * g;
            v = B2 * v + (1 - B2) * g * g;
            double mHat = m / (1 - Math.pow(B1, t));
            double vHat = v / (1 - Math.pow(B2, t));
            p = p - lr * (mHat / (Math.sqrt(vHat) + EPS) + (decay ? WD * p : 0));
        }
    }

    private static Map<String, INDArray> params() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("dense.weight", Nd4j.createFromArray(new float[][] {{0.5f, -1.25f}, {2f, 0.75f}}));
        p.put("dense.bias", Nd4j.createFromArray(0.1f, -0.2f));
        p.put("embeddings.LayerNorm.weight", Nd4j.createFromArray(1f, 1.5f));
        p.put("frozen.weight", Nd4j.createFromArray(3f, 4f, 5f));
        return p;
    }

    /** Gradients of step {@code t} (1-based) for all but the frozen parameter; different each step. */
    private static Map<String, INDArray> grads(long t) {
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("dense.weight", Nd4j.createFromArray(new float[][] {{0.3f * t, -0.1f}, {0.02f, 1f / t}}));
        g.put("dense.bias", Nd4j.createFromArray(-0.5f, 0.25f * t));
        g.put("embeddings.LayerNorm.weight", Nd4j.createFromArray(0.05f, -2f + t));
        return g;
    }

    private static AdamW adam() {
        return new AdamW(B1, B2, EPS, WD, AdamW.BERT_NO_DECAY);
    }

    @Test
    void matchesTheScalarReferenceOverSeveralSteps() {
        Map<String, INDArray> params = params();
        Map<String, Reference[]> ref = new LinkedHashMap<>();
        params.forEach((name, p) -> {
            float[] values = p.dup().data().asFloat();
            Reference[] r = new Reference[values.length];
            for (int i = 0; i < values.length; i++) {
                r[i] = new Reference(values[i]);
            }
            ref.put(name, r);
        });
        AdamW adam = adam();
        double[] rates = {0.1, 0.05, 0.2, 0.01};
        for (int t = 1; t <= rates.length; t++) {
            Map<String, INDArray> g = grads(t);
            for (Map.Entry<String, INDArray> e : g.entrySet()) {
                float[] gv = e.getValue().dup().data().asFloat();
                Reference[] r = ref.get(e.getKey());
                for (int i = 0; i < gv.length; i++) {
                    r[i].step(gv[i], rates[t - 1], t, e.getKey().equals("dense.weight")); // biases, LayerNorm: no decay
                }
            }
            adam.step(params, g, rates[t - 1]);
            assertEquals(t, adam.t());
            for (String name : g.keySet()) {
                float[] actual = params.get(name).dup().data().asFloat();
                Reference[] r = ref.get(name);
                for (int i = 0; i < actual.length; i++) {
                    assertEquals(r[i].p, actual[i], 1e-6, name + "[" + i + "] after step " + t);
                }
            }
        }
        assertArrayEquals(
                new float[] {3f, 4f, 5f}, params.get("frozen.weight").data().asFloat(), "frozen");
        assertFalse(adam.stateTensors().containsKey("frozen.weight/m"), "no state for a frozen parameter");
        assertEquals(6, adam.stateTensors().size());
    }

    @Test
    void eachParameterGroupStepsAtItsOwnRate() {
        Map<String, INDArray> one = params();
        Map<String, INDArray> two = params();
        AdamW a = adam();
        AdamW b = adam();
        for (int t = 1; t <= 3; t++) {
            a.step(one, grads(t), name -> name.startsWith("dense.") ? 0.5 : 0.01);
            b.step(two, grads(t), 0.01);
        }
        assertArrayEquals(
                two.get("embeddings.LayerNorm.weight").data().asFloat(),
                one.get("embeddings.LayerNorm.weight").data().asFloat(),
                "a group at the shared rate");
        Reference r = new Reference(0.1); // dense.bias[0], no decay, at rate 0.5
        for (int t = 1; t <= 3; t++) {
            r.step(grads(t).get("dense.bias").getDouble(0), 0.5, t, false);
        }
        assertEquals(r.p, one.get("dense.bias").getDouble(0), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> adam().step(params(), grads(1), name -> Double.NaN));
    }

    @Test
    void weightDecaySkipsBiasesAndLayerNorm() {
        Map<String, INDArray> params = params();
        Map<String, INDArray> zero = new LinkedHashMap<>();
        params.forEach((name, p) -> zero.put(name, Nd4j.zerosLike(p)));
        adam().step(params, zero, 0.5); // a zero gradient moves nothing but the decay
        assertArrayEquals(
                new float[] {0.5f * 0.95f, -1.25f * 0.95f, 2f * 0.95f, 0.75f * 0.95f},
                params.get("dense.weight").data().asFloat(),
                1e-7f);
        assertArrayEquals(
                new float[] {3f * 0.95f, 4f * 0.95f, 5f * 0.95f},
                params.get("frozen.weight").data().asFloat(),
                1e-7f);
        assertArrayEquals(
                new float[] {0.1f, -0.2f}, params.get("dense.bias").data().asFloat());
        assertArrayEquals(
                new float[] {1f, 1.5f},
                params.get("embeddings.LayerNorm.weight").data().asFloat());
    }

    @Test
    void stateRoundTripContinuesExactly() {
        Map<String, INDArray> uninterrupted = params();
        AdamW a = adam();
        for (int t = 1; t <= 3; t++) {
            a.step(uninterrupted, grads(t), 0.1);
        }
        Map<String, Tensor> saved = a.stateTensors();
        Map<String, INDArray> resumed = new LinkedHashMap<>();
        uninterrupted.forEach((name, p) -> resumed.put(name, p.dup()));
        AdamW b = adam();
        b.loadState(saved, a.t());
        for (int t = 4; t <= 6; t++) {
            a.step(uninterrupted, grads(t), 0.1);
            b.step(resumed, grads(t), 0.1);
        }
        assertEquals(a.t(), b.t());
        for (String name : uninterrupted.keySet()) {
            assertArrayEquals(
                    uninterrupted.get(name).data().asFloat(),
                    resumed.get(name).data().asFloat(),
                    1e-7f,
                    name);
        }
    }

    @Test
    void rejectsMismatchesBeforeUpdatingAnything() {
        Map<String, INDArray> params = params();
        Map<String, INDArray> g = grads(1);
        g.put("unknown", Nd4j.createFromArray(1f));
        AdamW adam = adam();
        assertThrows(IllegalArgumentException.class, () -> adam.step(params, g, 0.1));
        assertEquals(0, adam.t());
        assertArrayEquals(
                new float[] {0.1f, -0.2f}, params.get("dense.bias").data().asFloat());
        Map<String, INDArray> wrongShape = Map.of("dense.bias", Nd4j.createFromArray(1f, 2f, 3f));
        assertThrows(IllegalArgumentException.class, () -> adam.step(params, wrongShape, 0.1));
        assertThrows(
                IllegalArgumentException.class,
                () -> adam.loadState(Map.of("dense.bias/m", new Tensor(new long[] {2}, new float[2])), 1));
    }

    /** A gradient scale inside the update equals the same step on gradients scaled beforehand (clipping's path). */
    @Test
    void aGradientScaleEqualsPrescaledGradients() {
        float[] p0 = {0.5f, -1f, 2f, 0.1f};
        float[] g0 = {0.3f, -0.7f, 1.5f, -2f};
        INDArray a = Nd4j.createFromArray(p0.clone());
        INDArray b = Nd4j.createFromArray(p0.clone());
        AdamW one = new AdamW();
        AdamW two = new AdamW();
        for (int step = 0; step < 3; step++) {
            one.step(Map.of("w", a), Map.of("w", Nd4j.createFromArray(g0.clone())), n -> 1e-2, 0.25);
            two.step(
                    Map.of("w", b), Map.of("w", Nd4j.createFromArray(g0.clone()).muli(0.25)), n -> 1e-2);
        }
        assertArrayEquals(b.toFloatVector(), a.toFloatVector(), 0f);
    }

    /**
     * The sparse update of a table: the listed rows move exactly as a dense step would move them (from fresh state),
     * every other row, and its optimiser state, stays as it was.
     */
    @Test
    void rowsOfATableUpdateAsADenseStepWouldAndNothingElseMoves() {
        float[] init = new float[5 * 3];
        for (int i = 0; i < init.length; i++) {
            init[i] = 0.1f * i - 0.5f;
        }
        INDArray sparse = Nd4j.create(init.clone(), new long[] {5, 3}, 'c');
        INDArray dense = Nd4j.create(init.clone(), new long[] {5, 3}, 'c');
        INDArray rows = Nd4j.create(new float[] {1f, -2f, 0.5f, 0.3f, 0.3f, -1f}, new long[] {2, 3}, 'c');
        INDArray full = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 3);
        full.putRow(3, rows.getRow(0));
        full.putRow(1, rows.getRow(1));
        AdamW a = new AdamW();
        a.step(Map.of(), Map.of(), 1e-2);
        a.stepRows("embeddings.word_embeddings.weight", sparse, new int[] {3, 1}, rows, 1e-2, 1);
        AdamW b = new AdamW();
        b.step(
                Map.of("embeddings.word_embeddings.weight", dense),
                Map.of("embeddings.word_embeddings.weight", full),
                1e-2);
        for (int r = 0; r < 5; r++) {
            float[] want = r == 1 || r == 3
                    ? dense.getRow(r).toFloatVector()
                    : java.util.Arrays.copyOfRange(init, 3 * r, 3 * r + 3);
            assertArrayEquals(want, sparse.getRow(r).toFloatVector(), 0f, "row " + r);
        }
    }
}
