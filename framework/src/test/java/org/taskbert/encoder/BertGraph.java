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
import org.taskbert.spi.Pooling;

/**
 * The test oracle: BERT's forward pass as one SameDiff graph over padded batches, which SameDiff differentiates
 * automatically; {@link Bert}'s hand-written forward and backward passes are checked against it. Built from basic ops on
 * purpose: ND4J 1.0.0-M2.1's {@code gelu} is an approximation, its precise GELU misplaces a
 * coefficient, and its {@code layerNorm} has no epsilon; this graph is held to the reference
 * vectors instead.
 *
 * <p>Inputs are placeholders: {@code input_ids}, {@code token_type_ids} [batch, time] int32,
 * {@code position_ids} [time] int32 and {@code attention_mask} [batch, time] float (1 = token,
 * 0 = padding). Dense weights are held as [in, out] so that {@code x·W} needs no transpose.
 */
public final class BertGraph implements org.taskbert.spi.EncoderOutputs {

    public static final String INPUT_IDS = BertInputs.INPUT_IDS;
    public static final String TOKEN_TYPE_IDS = BertInputs.TOKEN_TYPE_IDS;
    public static final String POSITION_IDS = BertInputs.POSITION_IDS;
    public static final String ATTENTION_MASK = BertInputs.ATTENTION_MASK;
    /** In a graph of the top layers only: the hidden states entering its first layer, [B*T, H]. */
    public static final String HIDDEN_IN = "encoder.hidden_in";
    /** In a graph of the top layers only: the first layer's output, [B*T, H], for {@code first_last_avg}. */
    public static final String HIDDEN_FIRST = "encoder.hidden_first";

    private final SameDiff sd;
    private final BertConfig cfg;
    private final BertWeights weights;
    private final Predicate<String> trainable;
    private final double dropout;
    private final int firstLayer;
    private boolean oneHotWords;
    private final java.util.List<DropoutSite> dropoutSites = new java.util.ArrayList<>();
    private SDVariable mask;
    /** {@code hidden[0]} is the embedding output, {@code hidden[i]} the output of transformer layer i, [B, T, H]. */
    private SDVariable[] hidden;

    /**
     * A place where training drops activations: a placeholder that takes a mask of 0 and 1/(1−p),
     * shaped [B·T, H] ({@code TOKENS}) or [B, heads, T, T] ({@code ATTENTION}). Masks come from the
     * trainer's seeded generator rather than ND4J's RNG (whose dropout op in M2.1 fails on dynamic
     * shapes), which also makes a resumed run draw exactly the masks of an uninterrupted one. In a graph
     * of the top layers only, the sites below it are listed too, with {@code inGraph} false: their masks
     * go to whoever computes those layers ({@link Bert}), in the same order.
     */
    public record DropoutSite(String placeholder, boolean attention, boolean inGraph) {}

    private BertGraph(SameDiff sd, BertWeights weights, Predicate<String> trainable, double dropout, int firstLayer) {
        this.sd = sd;
        this.cfg = weights.config();
        this.weights = weights;
        this.trainable = trainable;
        this.dropout = dropout;
        this.firstLayer = firstLayer;
    }

    /** Builds the encoder for inference into {@code sd}; weights for which {@code trainable} is false become constants. */
    public static BertGraph build(SameDiff sd, BertWeights weights, Predicate<String> trainable) {
        return build(sd, weights, trainable, 0);
    }

    /**
     * As {@link #build(SameDiff, BertWeights, Predicate, double)}, reading the word table by a one-hot product instead
     * of a gather (exact: one 1.0 and zeros per row), because M2.1 cannot differentiate the gather with a real
     * vocabulary: the oracle for the word table's gradient.
     */
    public static BertGraph buildOneHotWords(
            SameDiff sd, BertWeights weights, Predicate<String> trainable, double dropout) {
        BertGraph g = new BertGraph(sd, weights, trainable, dropout, -1);
        g.oneHotWords = true;
        g.forward();
        return g;
    }

    /** As {@link #build(SameDiff, BertWeights, Predicate)}, with dropout sites when {@code dropout > 0}. */
    public static BertGraph build(SameDiff sd, BertWeights weights, Predicate<String> trainable, double dropout) {
        BertGraph g = new BertGraph(sd, weights, trainable, dropout, -1);
        g.forward();
        return g;
    }

    /**
     * Only transformer layers {@code firstLayer} and up (and the pooler): the graph's input is {@link #HIDDEN_IN},
     * the output of the layers below, computed elsewhere (frozen layers need no graph: the trainer runs them through
     * {@link Bert}). With {@code firstLayer > 1}, {@code first_last_avg} reads {@link #HIDDEN_FIRST}.
     */
    public static BertGraph buildTop(
            SameDiff sd, BertWeights weights, int firstLayer, Predicate<String> trainable, double dropout) {
        if (firstLayer < 0 || firstLayer > weights.config().numLayers()) {
            throw new IllegalArgumentException(
                    "first layer must be within 0.." + weights.config().numLayers() + ", got " + firstLayer);
        }
        BertGraph g = new BertGraph(sd, weights, trainable, dropout, firstLayer);
        g.forward();
        return g;
    }

    /** The first transformer layer in this graph (0 for the whole encoder with its embeddings: see {@link #hasEmbeddings}). */
    public int firstLayer() {
        return Math.max(0, firstLayer);
    }

    /** Whether the graph starts from token ids (the whole encoder) rather than from {@link #HIDDEN_IN}. */
    public boolean hasEmbeddings() {
        return firstLayer < 0;
    }

    /** Whether the graph holds a variable or placeholder of this name (e.g. {@link #HIDDEN_FIRST} when a task uses it). */
    public boolean sameDiffHas(String name) {
        return sd.hasVariable(name);
    }

    /** The placeholder name of the dropout mask at a site ({@code embeddings}, {@code encoder.layer.3.output}, ...). */
    public static String dropoutName(String site) {
        return "dropout." + site;
    }

    public java.util.List<DropoutSite> dropoutSites() {
        return java.util.List.copyOf(dropoutSites);
    }

    public BertConfig config() {
        return cfg;
    }

    @Override
    public org.taskbert.spi.ModelShape shape() {
        return cfg.shape();
    }

    private void forward() {
        int h = cfg.hiddenSize();
        mask = sd.placeHolder(ATTENTION_MASK, DataType.FLOAT, -1, -1);

        // Shapes that depend on the batch: [B, T] and the [B*T, H] <-> [B, T, H] views.
        SDVariable bt = sd.shape(mask).castTo(DataType.INT64);
        SDVariable shapeBTH = sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) h)));
        SDVariable shapeBTNH =
                sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) cfg.numHeads(), cfg.headSize())));

        hidden = new SDVariable[cfg.numLayers() + 1];
        SDVariable x;
        if (hasEmbeddings()) {
            SDVariable ids = sd.placeHolder(INPUT_IDS, DataType.INT32, -1, -1);
            SDVariable types = sd.placeHolder(TOKEN_TYPE_IDS, DataType.INT32, -1, -1);
            SDVariable positions = sd.placeHolder(POSITION_IDS, DataType.INT32, -1);
            // Embeddings: word + position + token type, then LayerNorm. Kept as [B*T, H] between layers.
            // Only the word lookup is a gather: M2.1 cannot differentiate two gathers in one graph, so the small
            // position and type tables are read by one-hot products (exact: one 1.0 and zeros per row).
            SDVariable table = param("embeddings.word_embeddings.weight", false);
            SDVariable words = oneHotWords
                    ? sd.reshape(
                            sd.mmul(
                                    sd.oneHot(sd.reshape(ids, -1), cfg.vocabSize(), -1, 1.0, 0.0, DataType.FLOAT),
                                    table),
                            shapeBTH)
                    : sd.gather(table, ids, 0);
            SDVariable pos = sd.mmul(
                    sd.oneHot(positions, cfg.maxPositions(), -1, 1.0, 0.0, DataType.FLOAT),
                    param("embeddings.position_embeddings.weight", false));
            SDVariable typ = sd.mmul(
                    sd.oneHot(sd.reshape(types, -1), cfg.typeVocabSize(), -1, 1.0, 0.0, DataType.FLOAT),
                    param("embeddings.token_type_embeddings.weight", false));
            x = sd.reshape(words.add(pos), -1, h).add(typ);
            x = drop(layerNorm(x, "embeddings.LayerNorm"), "embeddings", false);
            hidden[0] = sd.reshape(x, shapeBTH);
        } else {
            // The layers below are computed outside the graph; their dropout sites are listed, in graph order.
            siteOutside("embeddings", false);
            for (int i = 0; i < firstLayer; i++) {
                String l = BertWeights.layer(i, "");
                siteOutside(l + "attention.probs", true);
                siteOutside(l + "attention.output", false);
                siteOutside(l + "output", false);
            }
            x = sd.placeHolder(HIDDEN_IN, DataType.FLOAT, -1, h);
            hidden[firstLayer] = sd.reshape(x, shapeBTH);
            if (firstLayer > 1) {
                hidden[1] = sd.reshape(sd.placeHolder(HIDDEN_FIRST, DataType.FLOAT, -1, h), shapeBTH);
            }
        }

        // The additive attention mask, computed once for all layers: 0 for tokens, -10000 for padding, [B,1,1,T].
        SDVariable maskAdd = sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(-10000.0), 1), 1);

        double scale = 1.0 / Math.sqrt(cfg.headSize());
        for (int i = firstLayer(); i < cfg.numLayers(); i++) {
            String l = BertWeights.layer(i, "");
            // Self-attention: heads as [B, N, T, D].
            SDVariable q = heads(dense(x, l + "attention.self.query"), shapeBTNH);
            SDVariable k = heads(dense(x, l + "attention.self.key"), shapeBTNH);
            SDVariable v = heads(dense(x, l + "attention.self.value"), shapeBTNH);
            SDVariable scores = sd.mmul(q, k, false, true, false).mul(scale).add(maskAdd);
            SDVariable probs = drop(sd.nn.softmax(scores, 3), l + "attention.probs", true);
            SDVariable ctx = sd.reshape(sd.permute(sd.mmul(probs, v), 0, 2, 1, 3), -1, h);
            x = layerNorm(
                    drop(dense(ctx, l + "attention.output.dense"), l + "attention.output", false)
                            .add(x),
                    l + "attention.output.LayerNorm");
            // Feed-forward.
            SDVariable inner = gelu(dense(x, l + "intermediate.dense"));
            x = layerNorm(
                    drop(dense(inner, l + "output.dense"), l + "output", false).add(x), l + "output.LayerNorm");
            hidden[i + 1] = sd.reshape(x, shapeBTH);
        }
    }

    /** The pooled sentence vector, [B, H]. */
    @Override
    public SDVariable pool(Pooling p) {
        SDVariable last = hidden[cfg.numLayers()];
        return switch (p) {
            case CLS -> cls();
            case POOLER -> sd.math.tanh(dense(cls(), "pooler.dense"));
            case POOLER_LINEAR -> dense(cls(), "pooler.dense");
            case MEAN -> maskedMean(last);
            case MAX -> sd.max(last.add(sd.expandDims(mask.sub(1.0).mul(1e9), 2)), 1);
            case FIRST_LAST_AVG -> maskedMean(hidden[1].add(last).mul(0.5));
            case PROMPT -> promptToken(last);
        };
    }

    /** The last layer at [CLS], [B, H]. */
    public SDVariable cls() {
        return hidden[cfg.numLayers()].get(SDIndex.all(), SDIndex.point(0), SDIndex.all());
    }

    /** The output of layer {@code i} (0 = embeddings), [B, T, H]; in a top-layers graph, from its input up. */
    @Override
    public SDVariable hidden(int i) {
        if (hidden[i] == null) {
            throw new IllegalStateException("layer " + i + "'s output is not in this graph, which starts at layer "
                    + firstLayer + " (the layers below are frozen and computed outside it)");
        }
        return hidden[i];
    }

    @Override
    public SDVariable attentionMask() {
        return mask;
    }

    private SDVariable drop(SDVariable x, String site, boolean attention) {
        if (dropout <= 0) {
            return x;
        }
        String name = dropoutName(site);
        dropoutSites.add(new DropoutSite(name, attention, true));
        return x.mul(
                attention
                        ? sd.placeHolder(name, DataType.FLOAT, -1, -1, -1, -1)
                        : sd.placeHolder(name, DataType.FLOAT, -1, -1));
    }

    private void siteOutside(String site, boolean attention) {
        if (dropout > 0) {
            dropoutSites.add(new DropoutSite(dropoutName(site), attention, false));
        }
    }

    /** Each row's state third from its end (the prompt's [MASK]), as a one-hot selection over the positions. */
    private SDVariable promptToken(SDVariable states) {
        SDVariable position = sd.cumsum(mask, false, false, 1).sub(1.0); // 0 .. len - 1 on real tokens
        SDVariable target = sd.expandDims(sd.sum(mask, 1).sub(3.0), 1);
        SDVariable pick = sd.eq(position, target).castTo(DataType.FLOAT).mul(mask);
        return sd.sum(states.mul(sd.expandDims(pick, 2)), 1);
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

    /** Whether a checkpoint weight is a dense kernel, held transposed ([in, out]) in the graph. */
    public static boolean isDenseKernel(String name) {
        return name.endsWith(".weight")
                && !name.contains("LayerNorm")
                && !name.startsWith("embeddings.")
                && !name.startsWith("head."); // a task head's weights are its own graph's layout
    }

    /** A graph array back in checkpoint layout (dense kernels [out, in]). */
    public static org.taskbert.model.Tensor toCheckpointLayout(String name, INDArray arr) {
        INDArray a = isDenseKernel(name) ? arr.transpose() : arr;
        return new org.taskbert.model.Tensor(a.shape(), a.dup('c').data().asFloat());
    }

    /** A weight as a graph variable (or constant when frozen), created once and named by its checkpoint name. */
    private SDVariable param(String name, boolean transposedDense) {
        assert transposedDense == isDenseKernel(name) : name;
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
