package org.taskbert.encoder;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.Tensor;
import org.taskbert.tokenize.Encoding;

/**
 * BERT's forward pass for inference, in plain ND4J arrays: the arithmetic of {@link BertGraph}, top to bottom in
 * {@link #run}, without a graph, for {@code embed}, evaluation and the trainer's frozen layers (1.3-2.1x the graph's
 * rate on STS-B dev: BENCHMARKS.md): no gradient bookkeeping, one fused Q/K/V product per layer, only real tokens
 * through the dense layers, every dense product a BLAS GEMM straight into a buffer that is reused from batch to
 * batch, GELU and LayerNorm fused ({@link FusedOps}), the attention mask built once per batch. {@link SameDiffEncoder}
 * (the graph) stays as the baseline it is measured against, and both are held to the same reference vectors.
 */
public final class InferenceEncoder implements Encoder {

    private final BertConfig cfg;
    private final BertWeights weights;
    private final int batchSize;
    private final EnumSet<Pooling> available;
    private final INDArray wordEmb;
    private final INDArray posEmb;
    private final INDArray typeEmb;
    private final float[][] embLn;
    private final Layer[] layers;
    private final INDArray poolerW;
    private final INDArray poolerB;
    /** Flat activation buffers by role, grown to the largest batch seen and viewed at each batch's shape. */
    private final Map<String, INDArray> buffers = new HashMap<>();

    /** One transformer layer's weights, dense kernels as [out, in]; Q, K and V stacked as [3H, H]. */
    private record Layer(INDArray qkvW, INDArray qkvB, INDArray attnOutW, INDArray attnOutB, float[][] attnLn,
            INDArray interW, INDArray interB, INDArray outW, INDArray outB, float[][] outLn) { }

    public InferenceEncoder(BertWeights weights, int batchSize) {
        this(weights, batchSize, weights.config().numLayers());
    }

    /**
     * Only the embeddings and the lowest {@code layers} layers, for {@link #hidden}: the trainer's frozen layers. Such
     * an encoder cannot {@link #encode} unless it holds every layer.
     */
    public InferenceEncoder(BertWeights weights, int batchSize, int layers) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.cfg = weights.config();
        this.weights = weights;
        this.batchSize = batchSize;
        this.available = EnumSet.allOf(Pooling.class);
        if (!weights.hasPooler()) {
            available.remove(Pooling.POOLER);
        }
        wordEmb = array("embeddings.word_embeddings.weight");
        posEmb = array("embeddings.position_embeddings.weight");
        typeEmb = array("embeddings.token_type_embeddings.weight");
        embLn = layerNorm("embeddings.LayerNorm");
        if (layers < 0 || layers > cfg.numLayers()) {
            throw new IllegalArgumentException("layers must be within 0.." + cfg.numLayers() + ", got " + layers);
        }
        this.layers = new Layer[layers];
        for (int i = 0; i < this.layers.length; i++) {
            String l = BertWeights.layer(i, "");
            INDArray qkvW = stacked(l + "attention.self.query.weight", l + "attention.self.key.weight",
                    l + "attention.self.value.weight");
            INDArray qkvB = stacked(l + "attention.self.query.bias", l + "attention.self.key.bias",
                    l + "attention.self.value.bias").reshape(1, 3L * cfg.hiddenSize());
            this.layers[i] = new Layer(qkvW, qkvB, kernel(l + "attention.output.dense"), row(l + "attention.output.dense.bias"),
                    layerNorm(l + "attention.output.LayerNorm"), kernel(l + "intermediate.dense"),
                    row(l + "intermediate.dense.bias"), kernel(l + "output.dense"), row(l + "output.dense.bias"),
                    layerNorm(l + "output.LayerNorm"));
        }
        boolean pooler = weights.hasPooler() && layers == cfg.numLayers();
        poolerW = pooler ? kernel("pooler.dense") : null;
        poolerB = pooler ? row(BertWeights.POOLER_BIAS) : null;
    }

    @Override
    public BertConfig config() {
        return cfg;
    }

    @Override
    public Set<Pooling> available() {
        return EnumSet.copyOf(available);
    }

    @Override
    public Map<Pooling, float[][]> encode(List<Encoding> inputs, Set<Pooling> poolings, Progress progress) {
        if (layers.length < cfg.numLayers()) {
            throw new IllegalStateException("this encoder holds only the lowest " + layers.length + " of "
                    + cfg.numLayers() + " layers");
        }
        for (Pooling p : poolings) {
            if (!available.contains(p)) {
                weights.require(BertWeights.POOLER_WEIGHT); // throws, naming the missing variable
            }
        }
        return LengthSortedBatches.encode(inputs, poolings, batchSize, progress,
                batch -> forward(SameDiffEncoder.placeholders(inputs, batch, cfg.maxPositions()), poolings));
    }

    /** Hidden states after the lowest layers: {@code last} [B*T, H], and the first layer's output when asked for. */
    public record Hidden(INDArray last, INDArray first) { }

    /**
     * The output of the embeddings and the lowest {@code upTo} layers for one padded batch ({@link BertGraph}'s
     * placeholders {@code input_ids}, {@code token_type_ids}, {@code attention_mask}), with dropout where
     * {@code dropoutMasks} holds a mask for a site (named as {@link BertGraph#dropoutName}; an absent site is not
     * dropped): exactly what a {@link BertGraph} with the same masks computes below {@link BertGraph#HIDDEN_IN}.
     * Copies, safe to keep.
     */
    public Hidden hidden(Map<String, INDArray> in, int upTo, boolean keepFirst, Map<String, INDArray> dropoutMasks) {
        if (upTo < 0 || upTo > layers.length) {
            throw new IllegalArgumentException("this encoder holds " + layers.length + " layers, asked for " + upTo);
        }
        INDArray[] first = new INDArray[1];
        INDArray x = run(in, upTo, keepFirst, dropoutMasks, first);
        return new Hidden(x, first[0]);
    }

    /** One padded batch: ids, types and mask as {@link SameDiffEncoder#placeholders} lays them out; [B, H] per pooling. */
    Map<Pooling, INDArray> forward(Map<String, INDArray> in, Set<Pooling> poolings) {
        INDArray mask = in.get(BertGraph.ATTENTION_MASK); // [B, T], 1 = token
        int b = (int) mask.size(0);
        int t = (int) mask.size(1);
        int h = cfg.hiddenSize();
        INDArray[] firstOut = new INDArray[1];
        INDArray x = run(in, layers.length, poolings.contains(Pooling.FIRST_LAST_AVG), Map.of(), firstOut);
        INDArray first = firstOut[0];
        INDArray last = x.reshape(b, t, h);
        INDArray cls = last.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c');
        INDArray m3 = mask.reshape(b, t, 1);
        Map<Pooling, INDArray> out = new EnumMap<>(Pooling.class);
        for (Pooling p : poolings) {
            out.put(p, switch (p) {
                case CLS -> cls;
                case POOLER -> Nd4j.exec(new Tanh(Nd4j.gemm(cls, poolerW, false, true).addiRowVector(poolerB)));
                case MEAN -> maskedMean(last, m3);
                case MAX -> last.add(m3.sub(1.0).muli(1e9)).max(1);
                case FIRST_LAST_AVG -> maskedMean(first.reshape(b, t, h).add(last).muli(0.5), m3);
            });
        }
        return out;
    }

    /**
     * Embeddings and layers 0..upTo-1 for one padded batch; returns [B*T, H] with zeros at padding (and the first
     * layer's output likewise in {@code firstOut[0]} when asked for). Inside, only the real tokens are computed: every
     * dense product, LayerNorm and GELU runs on them packed together ([N, H], N = real tokens), and only the attention
     * core sees the padded [B, T] layout. Padding rows would not change any real token's output (their keys are masked
     * off), so computing them is pure waste: half the rows of a random training batch of STS sentences.
     */
    private INDArray run(Map<String, INDArray> in, int upTo, boolean keepFirst, Map<String, INDArray> drop,
            INDArray[] firstOut) {
        INDArray ids = in.get(BertGraph.INPUT_IDS);
        int b = (int) ids.size(0);
        int t = (int) ids.size(1);
        int h = cfg.hiddenSize();
        int heads = cfg.numHeads();
        int d = cfg.headSize();
        float[] mask = in.get(BertGraph.ATTENTION_MASK).reshape(b * t).toFloatVector(); // 1 = token
        int[] rows = IntStream.range(0, b * t).filter(i -> mask[i] > 0.5f).toArray(); // real tokens in [B*T]
        int n = rows.length;

        // Embeddings of the real tokens: word + position + token type, then LayerNorm; activations are [N, H].
        int[] allIds = ids.reshape(b * t).toIntVector();
        int[] allTypes = in.get(BertGraph.TOKEN_TYPE_IDS).reshape(b * t).toIntVector();
        INDArray x = buffer("x", n, h);
        x.assign(Nd4j.pullRows(wordEmb, 1, Arrays.stream(rows).map(r -> allIds[r]).toArray()));
        x.addi(Nd4j.pullRows(posEmb, 1, Arrays.stream(rows).map(r -> r % t).toArray()));
        x.addi(Nd4j.pullRows(typeEmb, 1, Arrays.stream(rows).map(r -> allTypes[r]).toArray()));
        layerNormInPlace(x, embLn);
        dropout(x, drop, "embeddings", rows);

        // The additive attention mask, once per batch: 0 for tokens, -10000 for padding, [B, 1, 1, T].
        INDArray maskAdd = Nd4j.createFromArray(mask).reshape(b, 1, 1, t).sub(1.0).muli(10000.0);
        INDArray qkv = buffer("qkv", n, 3 * h);
        INDArray qkvPadded = buffer("qkvPadded", (long) b * t, 3 * h).assign(0);
        INDArray splitBuf = buffer("split", 3L * b * heads, (long) t * d).reshape(3, b, heads, t, d);
        INDArray scores = buffer("scores", (long) b * heads * t, t).reshape(b, heads, t, t);
        INDArray context = buffer("context", (long) b * heads * t, d).reshape(b, heads, t, d);
        INDArray contextPadded = buffer("contextPadded", (long) b * t, h);
        INDArray heads2d = buffer("heads2d", n, h);
        INDArray attn = buffer("attn", n, h);
        INDArray inner = buffer("inner", n, cfg.intermediateSize());
        for (int i = 0; i < upTo; i++) {
            Layer w = layers[i];
            String l = BertWeights.layer(i, "");
            // Self-attention: Q, K and V in one product, then out to the padded layout and split into heads
            // [3, B, N, T, D] with one copy.
            Nd4j.gemm(x, w.qkvW, qkv, false, true, 1.0, 0.0);
            qkv.addiRowVector(w.qkvB);
            FusedOps.scatterRows(qkv, rows, qkvPadded);
            // (A fresh 416×2304 array per layer cost about 10 ms here, the copy into a reused one about 1 ms.)
            INDArray split = splitBuf.assign(qkvPadded.reshape(b, t, 3, heads, d).permute(2, 0, 3, 1, 4));
            INDArray q = split.get(NDArrayIndex.point(0)).muli(1.0 / Math.sqrt(d));
            Nd4j.matmul(q, split.get(NDArrayIndex.point(1)), scores, false, true, false);
            scores.addi(maskAdd);
            Nd4j.exec(new SoftMax(scores, scores, 3));
            dropout(scores, drop, l + "attention.probs", null);
            Nd4j.matmul(scores, split.get(NDArrayIndex.point(2)), context, false, false, false);
            contextPadded.reshape(b, t, heads, d).assign(context.permute(0, 2, 1, 3));
            FusedOps.gatherRows(contextPadded, rows, heads2d);
            // Output projection, residual, LayerNorm.
            Nd4j.gemm(heads2d, w.attnOutW, attn, false, true, 1.0, 0.0);
            dropout(attn.addiRowVector(w.attnOutB), drop, l + "attention.output", rows);
            attn.addi(x);
            layerNormInPlace(attn, w.attnLn);
            // Feed-forward with GELU, residual, LayerNorm; the result becomes x.
            Nd4j.gemm(attn, w.interW, inner, false, true, 1.0, 0.0);
            inner.addiRowVector(w.interB);
            gelu(inner);
            Nd4j.gemm(inner, w.outW, x, false, true, 1.0, 0.0);
            dropout(x.addiRowVector(w.outB), drop, l + "output", rows);
            x.addi(attn);
            layerNormInPlace(x, w.outLn);
            if (i == 0 && keepFirst) {
                firstOut[0] = padded(x, rows, b * t);
            }
        }
        return padded(x, rows, b * t);
    }

    /** Packed rows back at their places in a fresh zeroed [rows, H] array. */
    private static INDArray padded(INDArray packed, int[] rows, int total) {
        INDArray out = Nd4j.create(DataType.FLOAT, total, packed.size(1));
        FusedOps.scatterRows(packed, rows, out);
        return out;
    }

    /** Multiplies in the site's dropout mask, if any; with {@code rows}, x is packed and the mask's rows are taken. */
    private void dropout(INDArray x, Map<String, INDArray> masks, String site, int[] rows) {
        INDArray m = masks.get(BertGraph.dropoutName(site));
        if (m == null) {
            return;
        }
        if (rows == null) {
            x.muli(m.reshape(x.shape()));
            return;
        }
        INDArray packed = buffer("dropout", x.size(0), x.size(1));
        INDArray byRow = m.reshape('c', m.length() / x.size(1), x.size(1));
        FusedOps.gatherRows(byRow.elementWiseStride() == 1 ? byRow : byRow.dup('c'), rows, packed);
        x.muli(packed);
    }

    private static INDArray maskedMean(INDArray states, INDArray m3) {
        return states.mul(m3).sum(1).diviColumnVector(m3.sum(1));
    }

    /** GELU in place, exact (erf, one fused pass) or BERT's tanh form as the config says. */
    private void gelu(INDArray x) {
        if (cfg.hiddenAct() == BertConfig.Activation.GELU) {
            FusedOps.gelu(x);
            return;
        }
        INDArray tmp = buffer("gelu", x.size(0), x.size(1));
        tmp.assign(x).muli(x).muli(x).muli(0.044715).addi(x).muli(Math.sqrt(2.0 / Math.PI));
        Nd4j.exec(new Tanh(tmp, tmp));
        x.muli(tmp.addi(1.0)).muli(0.5);
    }

    /** LayerNorm over the hidden dimension with BERT's epsilon, in place on [rows, H] (one fused pass). */
    private void layerNormInPlace(INDArray x, float[][] gainBias) {
        FusedOps.layerNorm(x, gainBias[0], gainBias[1], cfg.layerNormEps());
    }

    /** A reusable activation buffer of this shape (contents undefined), a view of a flat array grown as needed. */
    private INDArray buffer(String role, long rows, long cols) {
        long need = rows * cols;
        INDArray flat = buffers.get(role);
        if (flat == null || flat.length() < need) {
            flat = Nd4j.createUninitialized(DataType.FLOAT, need);
            buffers.put(role, flat);
        }
        return flat.get(NDArrayIndex.interval(0, need)).reshape('c', rows, cols);
    }

    private INDArray array(String name) {
        Tensor t = weights.require(name);
        return Nd4j.create(t.data(), t.shape(), 'c');
    }

    private INDArray row(String name) {
        return array(name).reshape(1, -1);
    }

    /**
     * A dense kernel as the checkpoint holds it, [out, in]: products take it transposed (x·Wᵀ, as fast as x·W here:
     * BENCHMARKS.md), so loading makes one off-heap copy and no transposed temporaries (which left 300 MB resident).
     */
    private INDArray kernel(String prefix) {
        return array(prefix + ".weight");
    }

    /** Tensors of equal shape stacked along their first dimension in one off-heap copy: Q, K and V as [3H, ...]. */
    private INDArray stacked(String... names) {
        Tensor first = weights.require(names[0]);
        int size = first.data().length;
        float[] all = new float[size * names.length];
        long[] shape = first.shape().clone();
        shape[0] *= names.length;
        for (int i = 0; i < names.length; i++) {
            System.arraycopy(weights.require(names[i]).data(), 0, all, i * size, size);
        }
        return Nd4j.create(all, shape, 'c');
    }

    private float[][] layerNorm(String prefix) {
        return new float[][] {weights.require(prefix + ".weight").data().clone(), weights.require(prefix + ".bias").data().clone()};
    }

    @Override
    public void close() {
        buffers.clear();
    }
}
