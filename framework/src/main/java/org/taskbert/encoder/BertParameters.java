package org.taskbert.encoder;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.Tensor;

/**
 * Every weight of a BERT encoder in one {@link Arena}, in the order the forward pass reads them: the word table, the
 * position and type tables, the embedding LayerNorm, each layer (Q, K and V stacked as one [3H, H] kernel), then the
 * pooler. Dense kernels stay [out, in] as checkpoints hold them. When training, a second arena of the same layout
 * from the first trained tensor on holds the gradients (the word table's gradient is sparse: {@link Bert} keeps the
 * rows a batch used). Each checkpoint name maps to a view, so the optimiser updates the encoder's own memory.
 */
public final class BertParameters {

    /** Offsets of one layer's tensors. */
    record Layer(
            long qkvW,
            long qkvB,
            long attnOutW,
            long attnOutB,
            long ln1Gain,
            long ln1Bias,
            long interW,
            long interB,
            long outW,
            long outB,
            long ln2Gain,
            long ln2Bias,
            long end) {}

    final BertConfig cfg;
    final Arena values;
    final long wordEmb;
    final long posEmb;
    final long typeEmb;
    final long embLnGain;
    final long embLnBias;
    final Layer[] layers;
    /** Offset of the pooler kernel and bias, or -1 when the checkpoint has none. */
    final long poolerW;

    final long poolerB;
    private final Map<String, long[]> names = new LinkedHashMap<>(); // name -> {offset, shape...}

    public BertParameters(BertWeights weights) {
        this.cfg = weights.config();
        int h = cfg.hiddenSize();
        int in = cfg.intermediateSize();
        long off = 0;
        wordEmb = off;
        off += (long) cfg.vocabSize() * h;
        posEmb = off;
        off += (long) cfg.maxPositions() * h;
        typeEmb = off;
        off += (long) cfg.typeVocabSize() * h;
        embLnGain = off;
        off += h;
        embLnBias = off;
        off += h;
        layers = new Layer[cfg.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            long qkvW = off;
            long qkvB = qkvW + 3L * h * h;
            long aoW = qkvB + 3L * h;
            long aoB = aoW + (long) h * h;
            long ln1g = aoB + h;
            long ln1b = ln1g + h;
            long iW = ln1b + h;
            long iB = iW + (long) in * h;
            long oW = iB + in;
            long oB = oW + (long) h * in;
            long ln2g = oB + h;
            long ln2b = ln2g + h;
            off = ln2b + h;
            layers[i] = new Layer(qkvW, qkvB, aoW, aoB, ln1g, ln1b, iW, iB, oW, oB, ln2g, ln2b, off);
        }
        boolean pooler = weights.hasPooler();
        poolerW = pooler ? off : -1;
        poolerB = pooler ? off + (long) h * h : -1;
        off += pooler ? (long) h * h + h : 0;
        values = new Arena(off);

        name("embeddings.word_embeddings.weight", wordEmb, cfg.vocabSize(), h);
        name("embeddings.position_embeddings.weight", posEmb, cfg.maxPositions(), h);
        name("embeddings.token_type_embeddings.weight", typeEmb, cfg.typeVocabSize(), h);
        name("embeddings.LayerNorm.weight", embLnGain, h);
        name("embeddings.LayerNorm.bias", embLnBias, h);
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            String p = BertWeights.layer(i, "");
            String[] qkv = {"query", "key", "value"};
            for (int j = 0; j < 3; j++) {
                name(p + "attention.self." + qkv[j] + ".weight", l.qkvW + (long) j * h * h, h, h);
                name(p + "attention.self." + qkv[j] + ".bias", l.qkvB + (long) j * h, h);
            }
            name(p + "attention.output.dense.weight", l.attnOutW, h, h);
            name(p + "attention.output.dense.bias", l.attnOutB, h);
            name(p + "attention.output.LayerNorm.weight", l.ln1Gain, h);
            name(p + "attention.output.LayerNorm.bias", l.ln1Bias, h);
            name(p + "intermediate.dense.weight", l.interW, in, h);
            name(p + "intermediate.dense.bias", l.interB, in);
            name(p + "output.dense.weight", l.outW, h, in);
            name(p + "output.dense.bias", l.outB, h);
            name(p + "output.LayerNorm.weight", l.ln2Gain, h);
            name(p + "output.LayerNorm.bias", l.ln2Bias, h);
        }
        if (pooler) {
            name(BertWeights.POOLER_WEIGHT, poolerW, h, h);
            name(BertWeights.POOLER_BIAS, poolerB, h);
        }
        load(weights);
    }

    private void name(String name, long offset, long... shape) {
        long[] entry = new long[shape.length + 1];
        entry[0] = offset;
        System.arraycopy(shape, 0, entry, 1, shape.length);
        names.put(name, entry);
    }

    /** Copies every encoder tensor of the checkpoint into place, each checked against the shape its config implies. */
    private void load(BertWeights weights) {
        for (Map.Entry<String, long[]> e : names.entrySet()) {
            Tensor t = weights.require(e.getKey(), shape(e.getValue()));
            values.write(e.getValue()[0], t.data(), 0, t.data().length);
        }
    }

    private static long[] shape(long[] entry) {
        return java.util.Arrays.copyOfRange(entry, 1, entry.length);
    }

    public BertConfig config() {
        return cfg;
    }

    public boolean hasPooler() {
        return poolerW >= 0;
    }

    /** Views of the named tensors into {@code arena} (the values or a gradient arena starting at {@code base}). */
    Map<String, INDArray> views(Arena arena, long base, java.util.function.Predicate<String> which) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : names.entrySet()) {
            if (which.test(e.getKey())) {
                out.put(e.getKey(), arena.view(e.getValue()[0] - base, shape(e.getValue())));
            }
        }
        return out;
    }

    /** Every encoder weight as checkpoint tensors (copies). */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : names.entrySet()) {
            long[] shape = shape(e.getValue());
            long n = 1;
            for (long s : shape) {
                n *= s;
            }
            float[] data = new float[(int) n];
            values.read(e.getValue()[0], data, 0, data.length);
            out.put(e.getKey(), new Tensor(shape, data));
        }
        return out;
    }

    /** The first offset of layer {@code i} (the pooler's for i = layers, the end when there is no pooler). */
    long layerStart(int i) {
        if (i < layers.length) {
            return layers[i].qkvW();
        }
        return hasPooler() ? poolerW : values.length();
    }
}
