package org.taskbert.encoder;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Erf;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.Tensor;
import org.taskbert.tokenize.Encoding;

/**
 * BERT's forward pass for inference, in plain ND4J arrays: the arithmetic of {@link BertGraph}, top to bottom in
 * {@link #forward}, without a graph. It is the fast path of {@code embed} and evaluation: no gradient bookkeeping, one
 * fused Q/K/V product per layer, every dense product a BLAS GEMM straight into a buffer that is reused from batch
 * to batch, the attention mask built once per batch. {@link SameDiffEncoder} (the graph) stays as the baseline it is
 * measured against, and both are held to the same reference vectors.
 */
public final class InferenceEncoder implements Encoder {

    private final BertConfig cfg;
    private final BertWeights weights;
    private final int batchSize;
    private final EnumSet<Pooling> available;
    private final INDArray wordEmb;
    private final INDArray posEmb;
    private final INDArray typeEmb;
    private final INDArray[] embLn;
    private final Layer[] layers;
    private final INDArray poolerW;
    private final INDArray poolerB;
    /** Flat activation buffers by role, grown to the largest batch seen and viewed at each batch's shape. */
    private final Map<String, INDArray> buffers = new HashMap<>();

    /** One transformer layer's weights, dense kernels as [in, out]; Q, K and V side by side as [H, 3H]. */
    private record Layer(INDArray qkvW, INDArray qkvB, INDArray attnOutW, INDArray attnOutB, INDArray[] attnLn,
            INDArray interW, INDArray interB, INDArray outW, INDArray outB, INDArray[] outLn) { }

    public InferenceEncoder(BertWeights weights, int batchSize) {
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
        layers = new Layer[cfg.numLayers()];
        for (int i = 0; i < layers.length; i++) {
            String l = BertWeights.layer(i, "");
            INDArray qkvW = Nd4j.hstack(kernel(l + "attention.self.query"), kernel(l + "attention.self.key"),
                    kernel(l + "attention.self.value")).dup('c');
            INDArray qkvB = Nd4j.concat(0, array(l + "attention.self.query.bias"), array(l + "attention.self.key.bias"),
                    array(l + "attention.self.value.bias")).reshape(1, 3L * cfg.hiddenSize());
            layers[i] = new Layer(qkvW, qkvB, kernel(l + "attention.output.dense"), row(l + "attention.output.dense.bias"),
                    layerNorm(l + "attention.output.LayerNorm"), kernel(l + "intermediate.dense"),
                    row(l + "intermediate.dense.bias"), kernel(l + "output.dense"), row(l + "output.dense.bias"),
                    layerNorm(l + "output.LayerNorm"));
        }
        poolerW = weights.hasPooler() ? kernel("pooler.dense") : null;
        poolerB = weights.hasPooler() ? row(BertWeights.POOLER_BIAS) : null;
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
        for (Pooling p : poolings) {
            if (!available.contains(p)) {
                weights.require(BertWeights.POOLER_WEIGHT); // throws, naming the missing variable
            }
        }
        return LengthSortedBatches.encode(inputs, poolings, batchSize, progress,
                batch -> forward(SameDiffEncoder.placeholders(inputs, batch, cfg.maxPositions()), poolings));
    }

    /** One padded batch: ids, types and mask as {@link SameDiffEncoder#placeholders} lays them out; [B, H] per pooling. */
    Map<Pooling, INDArray> forward(Map<String, INDArray> in, Set<Pooling> poolings) {
        INDArray ids = in.get(BertGraph.INPUT_IDS);
        int b = (int) ids.size(0);
        int t = (int) ids.size(1);
        int n = b * t;
        int h = cfg.hiddenSize();
        int heads = cfg.numHeads();
        int d = cfg.headSize();
        INDArray mask = in.get(BertGraph.ATTENTION_MASK); // [B, T], 1 = token

        // Embeddings: word + position + token type, then LayerNorm; activations are [B*T, H] throughout.
        INDArray x = buffer("x", n, h);
        x.assign(Nd4j.pullRows(wordEmb, 1, ids.reshape(n).toIntVector()));
        x.reshape(b, t, h).addi(posEmb.get(NDArrayIndex.interval(0, t), NDArrayIndex.all()).reshape(1, t, h));
        x.addi(Nd4j.pullRows(typeEmb, 1, in.get(BertGraph.TOKEN_TYPE_IDS).reshape(n).toIntVector()));
        layerNormInPlace(x, embLn);

        // The additive attention mask, once per batch: 0 for tokens, -10000 for padding, [B, 1, 1, T].
        INDArray maskAdd = mask.sub(1.0).muli(10000.0).reshape(b, 1, 1, t);
        INDArray first = null;
        INDArray qkv = buffer("qkv", n, 3 * h);
        INDArray scores = buffer("scores", (long) b * heads * t, t).reshape(b, heads, t, t);
        INDArray context = buffer("context", (long) b * heads * t, d).reshape(b, heads, t, d);
        INDArray heads2d = buffer("heads2d", n, h);
        INDArray attn = buffer("attn", n, h);
        INDArray inner = buffer("inner", n, cfg.intermediateSize());
        INDArray erf = buffer("erf", n, cfg.intermediateSize());
        for (int i = 0; i < layers.length; i++) {
            Layer w = layers[i];
            // Self-attention: Q, K and V in one product, split into heads [3, B, N, T, D] with one copy.
            Nd4j.gemm(x, w.qkvW, qkv, false, false, 1.0, 0.0);
            qkv.addiRowVector(w.qkvB);
            INDArray split = qkv.reshape(b, t, 3, heads, d).permute(2, 0, 3, 1, 4).dup('c');
            INDArray q = split.get(NDArrayIndex.point(0)).muli(1.0 / Math.sqrt(d));
            Nd4j.matmul(q, split.get(NDArrayIndex.point(1)), scores, false, true, false);
            scores.addi(maskAdd);
            Nd4j.exec(new SoftMax(scores, scores, 3));
            Nd4j.matmul(scores, split.get(NDArrayIndex.point(2)), context, false, false, false);
            heads2d.reshape(b, t, heads, d).assign(context.permute(0, 2, 1, 3));
            // Output projection, residual, LayerNorm.
            Nd4j.gemm(heads2d, w.attnOutW, attn, false, false, 1.0, 0.0);
            attn.addiRowVector(w.attnOutB).addi(x);
            layerNormInPlace(attn, w.attnLn);
            // Feed-forward with GELU, residual, LayerNorm; the result becomes x.
            Nd4j.gemm(attn, w.interW, inner, false, false, 1.0, 0.0);
            inner.addiRowVector(w.interB);
            gelu(inner, erf);
            Nd4j.gemm(inner, w.outW, x, false, false, 1.0, 0.0);
            x.addiRowVector(w.outB).addi(attn);
            layerNormInPlace(x, w.outLn);
            if (i == 0 && poolings.contains(Pooling.FIRST_LAST_AVG)) {
                first = x.dup();
            }
        }

        INDArray last = x.reshape(b, t, h);
        INDArray cls = last.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c');
        INDArray m3 = mask.reshape(b, t, 1);
        Map<Pooling, INDArray> out = new EnumMap<>(Pooling.class);
        for (Pooling p : poolings) {
            out.put(p, switch (p) {
                case CLS -> cls;
                case POOLER -> Nd4j.exec(new Tanh(Nd4j.gemm(cls, poolerW, false, false).addiRowVector(poolerB)));
                case MEAN -> maskedMean(last, m3);
                case MAX -> last.add(m3.sub(1.0).muli(1e9)).max(1);
                case FIRST_LAST_AVG -> maskedMean(first.reshape(b, t, h).add(last).muli(0.5), m3);
            });
        }
        return out;
    }

    private static INDArray maskedMean(INDArray states, INDArray m3) {
        return states.mul(m3).sum(1).diviColumnVector(m3.sum(1));
    }

    /** GELU in place, exact (erf) or BERT's tanh form as the config says; {@code tmp} is scratch of x's shape. */
    private void gelu(INDArray x, INDArray tmp) {
        if (cfg.hiddenAct() == BertConfig.Activation.GELU) {
            tmp.assign(x).muli(1.0 / Math.sqrt(2.0));
            Nd4j.exec(new Erf(tmp, tmp));
        } else {
            tmp.assign(x).muli(x).muli(x).muli(0.044715).addi(x).muli(Math.sqrt(2.0 / Math.PI));
            Nd4j.exec(new Tanh(tmp, tmp));
        }
        x.muli(tmp.addi(1.0)).muli(0.5);
    }

    /** LayerNorm over the hidden dimension with BERT's epsilon, in place on [rows, H]. */
    private void layerNormInPlace(INDArray x, INDArray[] gainBias) {
        x.subiColumnVector(x.mean(true, 1));
        INDArray var = x.mul(x).mean(true, 1);
        x.diviColumnVector(org.nd4j.linalg.ops.transforms.Transforms.sqrt(var.addi(cfg.layerNormEps()), false));
        x.muliRowVector(gainBias[0]).addiRowVector(gainBias[1]);
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

    /** A dense kernel as [in, out] (checkpoints hold [out, in]). */
    private INDArray kernel(String prefix) {
        return array(prefix + ".weight").transpose().dup('c');
    }

    private INDArray[] layerNorm(String prefix) {
        return new INDArray[] {row(prefix + ".weight"), row(prefix + ".bias")};
    }

    @Override
    public void close() {
        buffers.clear();
    }
}
