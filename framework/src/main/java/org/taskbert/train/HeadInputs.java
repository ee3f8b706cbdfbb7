package org.taskbert.train;

import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.encoder.Bert;
import org.taskbert.encoder.BertInputs;
import org.taskbert.encoder.Tokens;
import org.taskbert.model.BertConfig;
import org.taskbert.spi.EncoderOutputs;
import org.taskbert.spi.Pooling;

/**
 * The encoder's outputs as placeholders of the task's head graph: a task that asks for {@code pool(MEAN)} gets a
 * [B, H] input named {@code encoder.pool.mean}, which the trainer fills from {@link Bert}'s forward pass; SameDiff
 * then differentiates the loss with respect to it, and that gradient starts the encoder's backward pass.
 */
final class HeadInputs implements EncoderOutputs {

    private final SameDiff sd;
    private final BertConfig cfg;
    private final Map<Pooling, SDVariable> pooled = new EnumMap<>(Pooling.class);
    private final Map<Integer, SDVariable> hidden = new TreeMap<>();

    HeadInputs(SameDiff sd, BertConfig cfg) {
        this.sd = sd;
        this.cfg = cfg;
    }

    /**
     * A variable fixed at 1 that every encoder input is multiplied by: M2.1 differentiates only the ops on a path from
     * a trainable variable to the loss, so without it a placeholder's gradient is never computed. It is not trained.
     */
    static final String ANCHOR = "encoder.anchor";

    private SDVariable anchor() {
        return sd.hasVariable(ANCHOR) ? sd.getVariable(ANCHOR) : sd.var(ANCHOR, Nd4j.scalar(1f));
    }

    static String poolName(Pooling p) {
        return "encoder.pool." + p.id();
    }

    static String hiddenName(int i) {
        return "encoder.hidden." + i;
    }

    @Override
    public SDVariable pool(Pooling p) {
        return pooled.computeIfAbsent(p, k -> sd.placeHolder(poolName(k), DataType.FLOAT, -1, cfg.hiddenSize()))
                .mul(anchor());
    }

    @Override
    public SDVariable hidden(int i) {
        if (i < 0 || i > cfg.numLayers()) {
            throw new IllegalArgumentException("hidden(" + i + "): layers are 0 (embeddings) .. " + cfg.numLayers());
        }
        return hidden.computeIfAbsent(i, k -> sd.placeHolder(hiddenName(k), DataType.FLOAT, -1, -1, cfg.hiddenSize()))
                .mul(anchor());
    }

    @Override
    public SDVariable attentionMask() {
        return sd.hasVariable(BertInputs.ATTENTION_MASK)
                ? sd.getVariable(BertInputs.ATTENTION_MASK)
                : sd.placeHolder(BertInputs.ATTENTION_MASK, DataType.FLOAT, -1, -1);
    }

    @Override
    public org.taskbert.spi.ModelShape shape() {
        return cfg.shape();
    }

    /** Whether the head reads the encoder at all. */
    boolean used() {
        return !pooled.isEmpty() || !hidden.isEmpty();
    }

    /** The placeholder names whose gradients the encoder's backward pass needs. */
    java.util.List<String> names() {
        java.util.List<String> out = new java.util.ArrayList<>();
        pooled.keySet().forEach(p -> out.add(poolName(p)));
        hidden.keySet().forEach(i -> out.add(hiddenName(i)));
        return out;
    }

    /** Fills the placeholders from a forward pass. */
    void feed(Map<String, INDArray> ph, Bert bert, Bert.Pass pass, Tokens tokens) {
        int h = cfg.hiddenSize();
        Map<Pooling, float[]> vectors = bert.pool(pass, pooled.keySet());
        vectors.forEach((p, v) -> ph.put(poolName(p), Nd4j.create(v, new long[] {tokens.sequences(), h}, 'c')));
        for (int i : hidden.keySet()) {
            float[] packed = pass.hidden(i);
            float[] padded = new float[tokens.sequences() * tokens.paddedTime() * h];
            int[] rows = tokens.paddedRows();
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(packed, r * h, padded, rows[r] * h, h);
            }
            ph.put(hiddenName(i), Nd4j.create(padded, new long[] {tokens.sequences(), tokens.paddedTime(), h}, 'c'));
        }
        if (sd.hasVariable(BertInputs.ATTENTION_MASK)) {
            ph.put(BertInputs.ATTENTION_MASK, tokens.attentionMask());
        }
    }

    /** The loss's gradients with respect to the poolings ([S * H]) from SameDiff's answer. */
    Map<Pooling, float[]> poolGradients(Map<String, INDArray> grads) {
        Map<Pooling, float[]> out = new EnumMap<>(Pooling.class);
        for (Pooling p : pooled.keySet()) {
            INDArray g = grads.get(poolName(p));
            if (g != null) {
                out.put(p, g.dup('c').data().asFloat());
            }
        }
        return out;
    }

    /** The gradients with respect to hidden states, back in the packed layout ([N * H]). */
    Map<Integer, float[]> hiddenGradients(Map<String, INDArray> grads, Tokens tokens) {
        int h = cfg.hiddenSize();
        Map<Integer, float[]> out = new TreeMap<>();
        for (int i : hidden.keySet()) {
            INDArray g = grads.get(hiddenName(i));
            if (g == null) {
                continue;
            }
            float[] padded = g.dup('c').data().asFloat();
            int[] rows = tokens.paddedRows();
            float[] packed = new float[rows.length * h];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(padded, rows[r] * h, packed, r * h, h);
            }
            out.put(i, packed);
        }
        return out;
    }
}
