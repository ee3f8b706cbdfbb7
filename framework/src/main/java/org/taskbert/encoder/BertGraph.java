package org.taskbert.encoder;

import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.Tensor;

/**
 * BERT's forward pass as a SameDiff graph, top to bottom in {@link #build}. Built from basic ops on
 * purpose: ND4J 1.0.0-M2.1's {@code gelu} is an approximation, its precise GELU misplaces a
 * coefficient, and its {@code layerNorm} has no epsilon; this graph is held to the reference
 * vectors instead.
 *
 * <p>Inputs are placeholders: {@code input_ids}, {@code token_type_ids} [batch, time] int32,
 * {@code position_ids} [time] int32 and {@code attention_mask} [batch, time] float (1 = token,
 * 0 = padding). Dense weights are held as [in, out] so that {@code x·W} needs no transpose.
 */
public final class BertGraph {

    public static final String INPUT_IDS = "input_ids";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String POSITION_IDS = "position_ids";
    public static final String ATTENTION_MASK = "attention_mask";

    private final SameDiff sd;
    private final BertConfig cfg;
    private final BertWeights weights;
    private final Predicate<String> trainable;
    private SDVariable mask;
    /** {@code hidden[0]} is the embedding output, {@code hidden[i]} the output of transformer layer i, [B, T, H]. */
    private SDVariable[] hidden;

    private BertGraph(SameDiff sd, BertWeights weights, Predicate<String> trainable) {
        this.sd = sd;
        this.cfg = weights.config();
        this.weights = weights;
        this.trainable = trainable;
    }

    /** Builds the encoder into {@code sd}; weights for which {@code trainable} is false become constants. */
    public static BertGraph build(SameDiff sd, BertWeights weights, Predicate<String> trainable) {
        BertGraph g = new BertGraph(sd, weights, trainable);
        g.forward();
        return g;
    }

    private void forward() {
        int h = cfg.hiddenSize();
        SDVariable ids = sd.placeHolder(INPUT_IDS, DataType.INT32, -1, -1);
        SDVariable types = sd.placeHolder(TOKEN_TYPE_IDS, DataType.INT32, -1, -1);
        SDVariable positions = sd.placeHolder(POSITION_IDS, DataType.INT32, -1);
        mask = sd.placeHolder(ATTENTION_MASK, DataType.FLOAT, -1, -1);

        // Shapes that depend on the batch: [B, T] and the [B*T, H] <-> [B, T, H] views.
        SDVariable bt = sd.shape(ids).castTo(DataType.INT64);
        SDVariable shapeBTH = sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) h)));
        SDVariable shapeBTNH = sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) cfg.numHeads(), cfg.headSize())));

        // Embeddings: word + position + token type, then LayerNorm. Kept as [B*T, H] between layers.
        SDVariable words = sd.gather(param("embeddings.word_embeddings.weight", false), ids, 0);
        SDVariable pos = sd.gather(param("embeddings.position_embeddings.weight", false), positions, 0);
        SDVariable typ = sd.gather(param("embeddings.token_type_embeddings.weight", false), types, 0);
        SDVariable x = sd.reshape(words.add(typ).add(pos), -1, h);
        x = layerNorm(x, "embeddings.LayerNorm");

        // The additive attention mask, computed once for all layers: 0 for tokens, -10000 for padding, [B,1,1,T].
        SDVariable maskAdd = sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(-10000.0), 1), 1);

        hidden = new SDVariable[cfg.numLayers() + 1];
        hidden[0] = sd.reshape(x, shapeBTH);
        double scale = 1.0 / Math.sqrt(cfg.headSize());
        for (int i = 0; i < cfg.numLayers(); i++) {
            String l = BertWeights.layer(i, "");
            // Self-attention: heads as [B, N, T, D].
            SDVariable q = heads(dense(x, l + "attention.self.query"), shapeBTNH);
            SDVariable k = heads(dense(x, l + "attention.self.key"), shapeBTNH);
            SDVariable v = heads(dense(x, l + "attention.self.value"), shapeBTNH);
            SDVariable scores = sd.mmul(q, k, false, true, false).mul(scale).add(maskAdd);
            SDVariable probs = sd.nn.softmax(scores, 3);
            SDVariable ctx = sd.reshape(sd.permute(sd.mmul(probs, v), 0, 2, 1, 3), -1, h);
            x = layerNorm(dense(ctx, l + "attention.output.dense").add(x), l + "attention.output.LayerNorm");
            // Feed-forward.
            SDVariable inner = gelu(dense(x, l + "intermediate.dense"));
            x = layerNorm(dense(inner, l + "output.dense").add(x), l + "output.LayerNorm");
            hidden[i + 1] = sd.reshape(x, shapeBTH);
        }
    }

    /** The pooled sentence vector, [B, H]. */
    public SDVariable pool(Pooling p) {
        SDVariable last = hidden[cfg.numLayers()];
        return switch (p) {
            case CLS -> cls();
            case POOLER -> sd.math.tanh(dense(cls(), "pooler.dense"));
            case MEAN -> maskedMean(last);
            case MAX -> sd.max(last.add(sd.expandDims(mask.sub(1.0).mul(1e9), 2)), 1);
            case FIRST_LAST_AVG -> maskedMean(hidden[1].add(last).mul(0.5));
        };
    }

    /** The last layer at [CLS], [B, H]. */
    public SDVariable cls() {
        return hidden[cfg.numLayers()].get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
    }

    /** The output of layer {@code i} (0 = embeddings), [B, T, H]. */
    public SDVariable hidden(int i) {
        return hidden[i];
    }

    public SDVariable attentionMask() {
        return mask;
    }

    private SDVariable maskedMean(SDVariable states) {
        SDVariable m = sd.expandDims(mask, 2);
        return sd.sum(states.mul(m), 1).div(sd.sum(m, 1));
    }

    private SDVariable heads(SDVariable x2d, SDVariable shapeBTNH) {
        return sd.permute(sd.reshape(x2d, shapeBTNH), 0, 2, 1, 3);
    }

    private SDVariable dense(SDVariable x, String prefix) {
        return sd.mmul(x, param(prefix + ".weight", true)).add(param(prefix + ".bias", false));
    }

    /** LayerNorm over the hidden dimension with BERT's epsilon. */
    private SDVariable layerNorm(SDVariable x, String prefix) {
        SDVariable centred = x.sub(sd.mean(x, true, 1));
        SDVariable var = sd.mean(centred.mul(centred), true, 1);
        SDVariable normed = centred.mul(sd.math.rsqrt(var.add(cfg.layerNormEps())));
        return normed.mul(param(prefix + ".weight", false)).add(param(prefix + ".bias", false));
    }

    private SDVariable gelu(SDVariable x) {
        if (cfg.hiddenAct() == BertConfig.Activation.GELU) {
            return x.mul(sd.math.erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
        }
        // tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
        SDVariable inner = x.add(x.mul(x).mul(x).mul(0.044715)).mul(Math.sqrt(2.0 / Math.PI));
        return x.mul(sd.math.tanh(inner).add(1.0)).mul(0.5);
    }

    /** A weight as a graph variable (or constant when frozen), created once and named by its checkpoint name. */
    private SDVariable param(String name, boolean transposedDense) {
        if (sd.hasVariable(name)) {
            return sd.getVariable(name);
        }
        Tensor t = weights.require(name);
        INDArray arr = Nd4j.create(t.data(), t.shape(), 'c');
        if (transposedDense) {
            arr = arr.transpose().dup('c');
        }
        return trainable.test(name) ? sd.var(name, arr) : sd.constant(name, arr);
    }
}
