package org.taskbert.train;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.encoder.FusedOps;
import org.taskbert.model.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), as PyTorch's {@code torch.optim.AdamW}: for a parameter
 * {@code p} with gradient {@code g} at step {@code t} (1-based),
 * <pre>
 * m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;  m̂ = m/(1−β1^t);  v̂ = v/(1−β2^t)
 * p ← p − lr·(m̂/(√v̂ + ε) + wd·p)
 * </pre>
 * with the {@code wd·p} term left out for names the no-decay predicate accepts. Parameters are float32 and updated
 * in place. Only parameters that receive a gradient get state (m and v, float32); frozen ones are never touched.
 */
public final class AdamW {

    /** BERT's exclusion from weight decay: biases and LayerNorm weights. */
    public static final Predicate<String> BERT_NO_DECAY = name -> name.endsWith(".bias") || name.contains("LayerNorm");

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Predicate<String> noDecay;
    private final Map<String, INDArray> m = new TreeMap<>();
    private final Map<String, INDArray> v = new TreeMap<>();
    private long t;

    public AdamW(double beta1, double beta2, double eps, double weightDecay, Predicate<String> noDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0) || Double.isInfinite(eps) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "eps must be positive and weight decay >= 0 (both finite), got " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.noDecay = noDecay;
    }

    /** BERT's defaults: β1 0.9, β2 0.999, ε 1e-6, weight decay 0.01, no decay for biases and LayerNorm weights. */
    public AdamW() {
        this(0.9, 0.999, 1e-6, 0.01, BERT_NO_DECAY);
    }

    /** The number of steps taken so far (the {@code t} of the bias correction of the last step). */
    public long t() {
        return t;
    }

    /**
     * One update of every parameter named in {@code grads}, in place; parameters without a gradient are left alone.
     * Everything is checked before anything is updated.
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr) {
        step(params, grads, name -> lr);
    }

    /** As {@link #step(Map, Map, double)}, with a learning rate per parameter name (parameter groups). */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, ToDoubleFunction<String> lrOf) {
        step(params, grads, lrOf, 1);
    }

    /**
     * As {@link #step(Map, Map, ToDoubleFunction)} with every gradient multiplied by {@code gradScale} on the way in
     * (global-norm clipping applied inside the update's own pass; the gradients are not modified).
     */
    public void step(
            Map<String, INDArray> params,
            Map<String, INDArray> grads,
            ToDoubleFunction<String> lrOf,
            double gradScale) {
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            double lr = lrOf.applyAsDouble(e.getKey());
            if (!(lr >= 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException(
                        "learning rate of " + e.getKey() + " must be >= 0 and finite, got " + lr);
            }
            INDArray p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("gradient for unknown parameter " + e.getKey());
            }
            long[] shape = p.shape();
            if (!Arrays.equals(shape, e.getValue().shape())) {
                throw new IllegalArgumentException("gradient of " + e.getKey() + " has shape "
                        + Arrays.toString(e.getValue().shape()) + ", parameter has " + Arrays.toString(shape));
            }
            INDArray state = m.get(e.getKey());
            if (state != null && !Arrays.equals(shape, state.shape())) {
                throw new IllegalArgumentException("optimizer state of " + e.getKey() + " has shape "
                        + Arrays.toString(state.shape()) + ", parameter has " + Arrays.toString(shape));
            }
        }
        t++;
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            String name = e.getKey();
            double lr = lrOf.applyAsDouble(name);
            double stepSize = lr / (1 - Math.pow(beta1, t));
            INDArray p = params.get(name);
            INDArray g = e.getValue();
            INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zeros(DataType.FLOAT, p.shape()));
            INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zeros(DataType.FLOAT, p.shape()));
            float decay = weightDecay != 0 && !noDecay.test(name) ? (float) (1 - lr * weightDecay) : 1f;
            update(p, g, mi, vi, (float) stepSize, (float) (1 / sqrtCorrection2), decay, (float) gradScale);
        }
    }

    /**
     * The same update for the listed rows of a table only (lazy Adam, as TensorFlow's LazyAdam and PyTorch's
     * SparseAdam): row {@code ids[i]} of {@code table} [V, H] gets gradient row i of {@code rows} [ids, H]; other rows,
     * and their m and v, are left as they are. Uses the step count of the {@link #step} call of the same step.
     */
    public void stepRows(String name, INDArray table, int[] ids, INDArray rows, double lr, double gradScale) {
        if (t == 0) {
            throw new IllegalStateException("stepRows follows step() in the same training step");
        }
        if (rows.rank() != 2 || rows.size(0) != ids.length || rows.size(1) != table.size(1)) {
            throw new IllegalArgumentException("row gradient of " + name + " has shape " + Arrays.toString(rows.shape())
                    + " for " + ids.length + " ids of a table " + Arrays.toString(table.shape()));
        }
        INDArray mi = m.computeIfAbsent(name, k -> Nd4j.zeros(DataType.FLOAT, table.shape()));
        INDArray vi = v.computeIfAbsent(name, k -> Nd4j.zeros(DataType.FLOAT, table.shape()));
        double stepSize = lr / (1 - Math.pow(beta1, t));
        float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
        float decay = weightDecay != 0 && !noDecay.test(name) ? (float) (1 - lr * weightDecay) : 1f;
        long width = table.size(1);
        for (int i = 0; i < ids.length; i++) {
            long row = ids[i];
            if (row < 0 || row >= table.size(0)) {
                throw new IllegalArgumentException(
                        "row " + row + " is outside " + name + " " + Arrays.toString(table.shape()));
            }
            update(
                    rowView(table, row, width),
                    rowView(rows, i, width),
                    rowView(mi, row, width),
                    rowView(vi, row, width),
                    (float) stepSize,
                    invSqrtCorrection2,
                    decay,
                    (float) gradScale);
        }
    }

    private static INDArray rowView(INDArray a, long row, long width) {
        return a.reshape(a.length())
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(row * width, (row + 1) * width));
    }

    private static final int CHUNK = 1 << 13;

    /**
     * One parameter's update in a single pass over p, g, m and v (ND4J took ten passes and a temporary per
     * parameter): m ← β1·m + (1-β1)·g; v ← β2·v + (1-β2)·g²; p ← decay·p − stepSize·m / (√v/√(1-β2ᵗ) + ε).
     */
    private void update(
            INDArray p,
            INDArray g,
            INDArray mi,
            INDArray vi,
            float stepSize,
            float invSqrtCorrection2,
            float decay,
            float gradScale) {
        INDArray gc = (g.ordering() == 'c' || g.isVectorOrScalar())
                        && g.elementWiseStride() == 1
                        && g.dataType() == DataType.FLOAT
                ? g
                : g.castTo(DataType.FLOAT).dup('c');
        FloatBuffer pb = FusedOps.floats(p);
        FloatBuffer gb = FusedOps.floats(gc);
        FloatBuffer mb = FusedOps.floats(mi);
        FloatBuffer vb = FusedOps.floats(vi);
        int po = (int) p.offset();
        int go = (int) gc.offset();
        int mo = (int) mi.offset();
        int vo = (int) vi.offset();
        int n = (int) p.length();
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1); // not 1 - b1: 1 - 0.999f is 1.3e-5 off 0.001
        float c2 = (float) (1 - beta2);
        float e = (float) eps;
        FusedOps.parallel((n + CHUNK - 1) / CHUNK, c -> {
            int from = c * CHUNK;
            int len = Math.min(CHUNK, n - from);
            float[] pa = new float[len];
            float[] ga = new float[len];
            float[] ma = new float[len];
            float[] va = new float[len];
            pb.get(po + from, pa, 0, len);
            gb.get(go + from, ga, 0, len);
            mb.get(mo + from, ma, 0, len);
            vb.get(vo + from, va, 0, len);
            for (int i = 0; i < len; i++) {
                float gi = ga[i] * gradScale;
                float mNew = b1 * ma[i] + c1 * gi;
                float vNew = b2 * va[i] + c2 * gi * gi;
                ma[i] = mNew;
                va[i] = vNew;
                pa[i] = decay * pa[i] - stepSize * mNew / ((float) Math.sqrt(vNew) * invSqrtCorrection2 + e);
            }
            pb.put(po + from, pa, 0, len);
            mb.put(mo + from, ma, 0, len);
            vb.put(vo + from, va, 0, len);
        });
    }

    /** A copy of the state: {@code <param>/m} and {@code <param>/v} for each parameter with state, sorted by name. */
    public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : m.keySet()) {
            out.put(name + "/m", NdTensors.toTensor(m.get(name)));
            out.put(name + "/v", NdTensors.toTensor(v.get(name)));
        }
        return Collections.unmodifiableMap(out);
    }

    /** Replaces the state with a copy of one written by {@link #stateTensors()} after step {@code t}. */
    public void loadState(Map<String, Tensor> state, long t) {
        if (t < 0 || (t == 0 && !state.isEmpty())) {
            throw new IllegalArgumentException("step count must be >= 0, and > 0 with state, got " + t);
        }
        Map<String, INDArray> newM = new TreeMap<>();
        Map<String, INDArray> newV = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            int slash = key.lastIndexOf('/');
            String slot = slash < 0 ? "" : key.substring(slash + 1);
            Map<String, INDArray> target = slot.equals("m") ? newM : slot.equals("v") ? newV : null;
            if (target == null || slash == 0) {
                throw new IllegalArgumentException("optimizer state entry " + key + " is not <param>/m or <param>/v");
            }
            target.put(key.substring(0, slash), NdTensors.toArray(e.getValue()));
        }
        if (!newM.keySet().equals(newV.keySet())) {
            throw new IllegalArgumentException("optimizer state has m and v for different parameters: m for "
                    + newM.keySet() + ", v for " + newV.keySet());
        }
        for (String name : newM.keySet()) {
            if (!Arrays.equals(newM.get(name).shape(), newV.get(name).shape())) {
                throw new IllegalArgumentException("optimizer state of " + name + ": m has shape "
                        + Arrays.toString(newM.get(name).shape()) + ", v has "
                        + Arrays.toString(newV.get(name).shape()));
            }
        }
        m.clear();
        m.putAll(newM);
        v.clear();
        v.putAll(newV);
        this.t = t;
    }
}
