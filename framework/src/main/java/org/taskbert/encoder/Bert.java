package org.taskbert.encoder;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.spi.Pooling;

/**
 * BERT, the one implementation: the forward pass top to bottom in {@link #forward}, its backward pass in reverse in
 * {@link #backward}, over packed real tokens ({@link Tokens}) in planned off-heap buffers ({@link Arena}). Dense
 * layers are BLAS GEMMs straight into their buffers; attention runs per sequence and head on that sequence's own
 * keys (GEMMs on strided sub-matrices of the packed Q/K/V rows, no padding anywhere); LayerNorm, GELU, softmax,
 * dropout and their derivatives are fused loops ({@link Kernels}).
 *
 * <p>Inference keeps no activations. Training keeps what the backward pass needs for the trained layers only:
 * layers below {@code firstTrained} run forward in shared scratch, with no cache and no gradient. Gradients
 * accumulate (micro-batches add up) into {@link #gradients()} until {@link #zeroGradients()}; the word table's
 * gradient is sparse, the rows the batches used ({@link #wordGradient()}).
 */
public final class Bert {

    private final BertConfig cfg;
    private final BertParameters p;
    private final int h;
    private final int heads;
    private final int d;
    private final int inter;
    private final int layers;
    /** Layers firstTrained.. get gradients; layers = none. */
    private final int firstTrained;

    private final boolean trainEmbeddings;
    private final boolean trainPooler;
    private final Arena grads;
    /** Where the gradient arena starts in the parameter layout. */
    private final long gradBase;

    private final int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Plan plan;
    private final WordGradient wordGrad;

    /** For inference: nothing trains. */
    public Bert(BertWeights weights) {
        this(weights, weights.config().numLayers(), false, false);
    }

    /**
     * @param firstTrained the lowest layer that trains (0 with {@code trainEmbeddings} trains everything; the layer
     *                     count trains no layer)
     */
    public Bert(BertWeights weights, int firstTrained, boolean trainEmbeddings, boolean trainPooler) {
        this.cfg = weights.config();
        this.p = new BertParameters(weights);
        this.h = cfg.hiddenSize();
        this.heads = cfg.numHeads();
        this.d = cfg.headSize();
        this.inter = cfg.intermediateSize();
        this.layers = cfg.numLayers();
        if (firstTrained < 0 || firstTrained > layers || (trainEmbeddings && firstTrained != 0)) {
            throw new IllegalArgumentException("first trained layer must be within 0.." + layers
                    + " (0 when the embeddings train), got " + firstTrained);
        }
        this.firstTrained = firstTrained;
        this.trainEmbeddings = trainEmbeddings;
        this.trainPooler = trainPooler && p.hasPooler();
        long base = trainEmbeddings
                ? p.posEmb
                : firstTrained < layers ? p.layerStart(firstTrained) : this.trainPooler ? p.poolerW : p.values.length();
        this.gradBase = base;
        this.grads = base < p.values.length() ? new Arena(p.values.length() - base) : null;
        this.wordGrad = trainEmbeddings ? new WordGradient(cfg.vocabSize(), h) : null;
    }

    public BertConfig config() {
        return cfg;
    }

    public boolean hasPooler() {
        return p.hasPooler();
    }

    /** Whether anything below the poolings trains (the backward pass has work). */
    public boolean trains() {
        return grads != null || wordGrad != null;
    }

    /** Whether a checkpoint weight trains in this set-up. */
    public boolean trainable(String name) {
        if (name.startsWith("embeddings.")) {
            return trainEmbeddings;
        }
        if (name.startsWith("pooler.")) {
            return trainPooler;
        }
        if (name.startsWith("encoder.layer.")) {
            return Integer.parseInt(name.substring(14, name.indexOf('.', 14))) >= firstTrained;
        }
        return false;
    }

    /** The trained weights as views of the encoder's own memory (the word table included when it trains). */
    public Map<String, INDArray> parameters() {
        return p.views(p.values, 0, this::trainable);
    }

    /** Gradient views of the trained weights, the word table excepted (see {@link #wordGradient()}). */
    public Map<String, INDArray> gradients() {
        if (grads == null) {
            return Map.of();
        }
        return p.views(grads, gradBase, n -> trainable(n) && !n.equals(WordGradient.NAME));
    }

    /** The word table's sparse gradient since the last {@link #zeroGradients()}, or null when it does not train. */
    public WordGradient wordGradient() {
        return wordGrad;
    }

    public void zeroGradients() {
        if (grads != null) {
            grads.zero(0, grads.length());
        }
        if (wordGrad != null) {
            wordGrad.clear();
        }
    }

    /** Every encoder weight as checkpoint tensors (copies). */
    public Map<String, org.taskbert.model.Tensor> weights() {
        return p.tensors();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Forward

    /** What one forward pass leaves: the plan's buffers hold the activations until the next pass. */
    public final class Pass {
        final Tokens tokens;
        final Plan a;
        final Dropout drop;
        final boolean train;
        int[] argmax; // [S * H], token index of each sequence's maximum, after pool(MAX)

        Pass(Tokens tokens, Plan a, Dropout drop, boolean train) {
            this.tokens = tokens;
            this.a = a;
            this.drop = drop;
            this.train = train;
        }

        /** The output of layer {@code i} (0 = embeddings) for every real token, [N, H]; a copy. */
        public float[] hidden(int i) {
            long off = a.hidden(i);
            float[] out = new float[tokens.count() * h];
            a.arena.read(off, out, 0, out.length);
            return out;
        }
    }

    /**
     * The encoder on one packed batch: embeddings, then each layer. With {@code train}, the activations of the trained
     * layers are kept for {@link #backward}, and {@code drop}'s masks are applied.
     */
    public Pass forward(Tokens t, Dropout drop, boolean train) {
        for (int s = 0; s < t.sequences(); s++) {
            if (t.length(s) == 0) {
                throw new IllegalArgumentException("sequence " + s + " of the batch has no tokens");
            }
        }
        Plan a = plan(t, train);
        embeddings(t, a, drop);
        for (int l = 0; l < layers; l++) {
            layer(l, t, a, drop);
        }
        return new Pass(t, a, drop, train);
    }

    /** word + position + token type, LayerNorm, dropout: the input of layer 0. */
    private void embeddings(Tokens t, Plan a, Dropout drop) {
        int n = t.count();
        long x = a.hidden(0);
        Arena v = p.values;
        float[] row = new float[h];
        float[] sum = new float[h];
        for (int i = 0; i < n; i++) {
            checkId(t.ids()[i], cfg.vocabSize(), "word id");
            checkId(t.types()[i], cfg.typeVocabSize(), "token type");
            v.read(p.wordEmb + (long) t.ids()[i] * h, sum, 0, h);
            v.read(p.posEmb + (long) t.positions()[i] * h, row, 0, h);
            for (int j = 0; j < h; j++) {
                sum[j] += row[j];
            }
            v.read(p.typeEmb + (long) t.types()[i] * h, row, 0, h);
            for (int j = 0; j < h; j++) {
                sum[j] += row[j];
            }
            a.arena.write(x + (long) i * h, sum, 0, h);
        }
        boolean keep = a.train && trainEmbeddings;
        Kernels.layerNorm(
                a.arena,
                x,
                a.arena,
                x,
                keep ? a.arena : null,
                a.embXhat,
                a.embRstd,
                n,
                h,
                v,
                p.embLnGain,
                p.embLnBias,
                cfg.layerNormEps());
        Kernels.mulMask(a.arena, x, n * h, drop.site(0), 0);
    }

    private static void checkId(int id, int size, String what) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException(what + " " + id + " is outside the model's 0.." + (size - 1));
        }
    }

    /** One transformer layer: self-attention, residual, LayerNorm; feed-forward with GELU, residual, LayerNorm. */
    private void layer(int l, Tokens t, Plan a, Dropout drop) {
        int n = t.count();
        BertParameters.Layer w = p.layers[l];
        Plan.LayerActs c = a.layer[l];
        Arena v = p.values;
        Arena m = a.arena;
        // Q, K and V in one product, then attention per sequence and head.
        Blas.gemm(false, true, n, 3 * h, h, 1f, m, c.in, h, v, w.qkvW(), h, 0f, m, c.qkv, 3 * h);
        Kernels.addBias(m, c.qkv, n, 3 * h, v, w.qkvB());
        attention(t, a, c, drop.site(Dropout.probsSite(l)));
        // Output projection, dropout, residual, LayerNorm.
        Blas.gemm(false, true, n, h, h, 1f, m, c.ctx, h, v, w.attnOutW(), h, 0f, m, c.y1, h);
        Kernels.biasDropoutResidual(m, c.y1, n, h, v, w.attnOutB(), drop.site(Dropout.attentionOutputSite(l)), m, c.in);
        Kernels.layerNorm(
                m,
                c.y1,
                m,
                c.y1,
                c.kept ? m : null,
                c.xhat1,
                c.rstd1,
                n,
                h,
                v,
                w.ln1Gain(),
                w.ln1Bias(),
                cfg.layerNormEps());
        // Feed-forward: dense, GELU, dense, dropout, residual, LayerNorm.
        Blas.gemm(false, true, n, inter, h, 1f, m, c.y1, h, v, w.interW(), h, 0f, m, c.u, inter);
        Kernels.addBias(m, c.u, n, inter, v, w.interB());
        Kernels.gelu(m, c.u, m, c.g, n * inter, cfg.hiddenAct());
        Blas.gemm(false, true, n, h, inter, 1f, m, c.g, inter, v, w.outW(), inter, 0f, m, c.out, h);
        Kernels.biasDropoutResidual(m, c.out, n, h, v, w.outB(), drop.site(Dropout.outputSite(l)), m, c.y1);
        Kernels.layerNorm(
                m,
                c.out,
                m,
                c.out,
                c.kept ? m : null,
                c.xhat2,
                c.rstd2,
                n,
                h,
                v,
                w.ln2Gain(),
                w.ln2Bias(),
                cfg.layerNormEps());
    }

    /**
     * softmax(Q·Kᵀ/√d) per sequence and head over that sequence's keys, dropout on the probabilities, times V, into
     * the context rows. Sequences and heads are split into one group per core; each group has its own scratch.
     */
    private void attention(Tokens t, Plan a, Plan.LayerActs c, float[] mask) {
        Arena m = a.arena;
        float scale = (float) (1.0 / Math.sqrt(d));
        forEachHead(t, a, (s, hd, w) -> {
            int len = t.length(s);
            long q = c.qkv + (long) t.starts()[s] * 3 * h + (long) hd * d;
            long probs = c.kept ? c.probs + a.probOffset(s, hd) : a.scratchA(w);
            Blas.gemm(false, true, len, len, d, scale, m, q, 3 * h, m, q + h, 3 * h, 0f, m, probs, len);
            Kernels.softmaxRows(m, probs, len, len, a.heapScratch(w));
            long used = probs;
            if (mask != null) {
                used = a.scratchB(w);
                copyMasked(m, probs, used, len * len, mask, a.probOffset(s, hd), a.heapScratch(w));
            }
            Blas.gemm(
                    false,
                    false,
                    len,
                    d,
                    len,
                    1f,
                    m,
                    used,
                    len,
                    m,
                    q + 2L * h,
                    3 * h,
                    0f,
                    m,
                    c.ctx + (long) t.starts()[s] * h + (long) hd * d,
                    h);
        });
    }

    private static void copyMasked(Arena m, long from, long to, int n, float[] mask, long maskOff, float[] scratch) {
        m.read(from, scratch, 0, n);
        for (int i = 0; i < n; i++) {
            scratch[i] *= mask[(int) maskOff + i];
        }
        m.write(to, scratch, 0, n);
    }

    @FunctionalInterface
    private interface HeadBody {
        void run(int seq, int head, int worker);
    }

    /**
     * Runs body for every (sequence, head), split into contiguous groups of about equal cost, one per core. Long
     * sequences run one after another on the caller's thread instead: their GEMMs are large enough for OpenBLAS's
     * own threads, and two threads calling a threaded OpenBLAS at once would contend.
     */
    private void forEachHead(Tokens t, Plan a, HeadBody body) {
        int seqs = t.sequences();
        int maxLen = t.maxLength();
        int groups = (long) maxLen * maxLen * d < 65536 ? workers : 1;
        if (groups == 1) {
            for (int s = 0; s < seqs; s++) {
                for (int hd = 0; hd < heads; hd++) {
                    body.run(s, hd, 0);
                }
            }
            return;
        }
        long total = 0;
        for (int s = 0; s < seqs; s++) {
            total += (long) t.length(s) * t.length(s);
        }
        int[] bounds = new int[groups + 1]; // sequence boundaries of the groups
        long acc = 0;
        int g = 1;
        for (int s = 0; s < seqs && g < groups; s++) {
            acc += (long) t.length(s) * t.length(s);
            if (acc * groups >= total * g) {
                bounds[g++] = s + 1;
            }
        }
        for (; g <= groups; g++) {
            bounds[g] = seqs;
        }
        FusedOps.parallel(groups, w -> {
            for (int s = bounds[w]; s < bounds[w + 1]; s++) {
                for (int hd = 0; hd < heads; hd++) {
                    body.run(s, hd, w);
                }
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Poolings

    /** The pooled sentence vectors of a pass, [S * H] row-major per pooling. */
    public Map<Pooling, float[]> pool(Pass pass, Set<Pooling> poolings) {
        Tokens t = pass.tokens;
        Plan a = pass.a;
        int seqs = t.sequences();
        long last = a.hidden(layers);
        Map<Pooling, float[]> out = new EnumMap<>(Pooling.class);
        float[] row = new float[h];
        for (Pooling pooling : poolings) {
            float[] v = new float[seqs * h];
            switch (pooling) {
                case CLS, PROMPT -> {
                    for (int s = 0; s < seqs; s++) {
                        a.arena.read(last + (long) pooledToken(t, s, pooling) * h, v, s * h, h);
                    }
                }
                case POOLER, POOLER_LINEAR -> {
                    if (!p.hasPooler()) {
                        throw new BertWeights.MissingWeightException(BertWeights.POOLER_WEIGHT, "this model");
                    }
                    for (int s = 0; s < seqs; s++) {
                        a.arena.read(last + (long) t.starts()[s] * h, row, 0, h);
                        a.arena.write(a.cls + (long) s * h, row, 0, h);
                    }
                    Blas.gemm(
                            false, true, seqs, h, h, 1f, a.arena, a.cls, h, p.values, p.poolerW, h, 0f, a.arena,
                            a.pooled, h);
                    Kernels.addBias(a.arena, a.pooled, seqs, h, p.values, p.poolerB);
                    a.arena.read(a.pooled, v, 0, seqs * h); // z, kept for the backward pass of either
                    if (pooling == Pooling.POOLER) {
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) Math.tanh(v[i]);
                        }
                    }
                }
                case MEAN -> meanOf(t, a, last, 1f, v, row);
                case FIRST_LAST_AVG -> {
                    meanOf(t, a, a.hidden(1), 0.5f, v, row);
                    meanOf(t, a, last, 0.5f, v, row);
                }
                case MAX -> {
                    int[] arg = new int[seqs * h];
                    for (int s = 0; s < seqs; s++) {
                        Arrays.fill(v, s * h, s * h + h, Float.NEGATIVE_INFINITY);
                        for (int i = t.starts()[s]; i < t.starts()[s + 1]; i++) {
                            a.arena.read(last + (long) i * h, row, 0, h);
                            for (int j = 0; j < h; j++) {
                                if (row[j] > v[s * h + j]) {
                                    v[s * h + j] = row[j];
                                    arg[s * h + j] = i;
                                }
                            }
                        }
                    }
                    pass.argmax = arg;
                }
                default -> throw new IllegalStateException(pooling.id());
            }
            out.put(pooling, v);
        }
        return out;
    }

    /**
     * The packed index of the token that {@code cls} or {@code prompt} reads in sequence {@code s}: its [CLS], or its
     * [MASK], third from its end as {@code Tokenizer.encode(text, maxLength, PROMPT)} places it.
     */
    private static int pooledToken(Tokens t, int s, Pooling pooling) {
        if (pooling == Pooling.CLS) {
            return t.starts()[s];
        }
        if (t.length(s) < 4) {
            throw new IllegalArgumentException(
                    "pooling 'prompt' reads the [MASK] of [CLS] ... [MASK] . [SEP], but sequence "
                            + s + " has " + t.length(s)
                            + " token(s); encode its text with Tokenizer.encode(text, maxLength, "
                            + "PROMPT)");
        }
        return t.starts()[s + 1] - 3;
    }

    /** v[s] += weight · mean over sequence s's tokens of the rows at {@code states}. */
    private void meanOf(Tokens t, Plan a, long states, float weight, float[] v, float[] row) {
        for (int s = 0; s < t.sequences(); s++) {
            double[] acc = new double[h];
            for (int i = t.starts()[s]; i < t.starts()[s + 1]; i++) {
                a.arena.read(states + (long) i * h, row, 0, h);
                for (int j = 0; j < h; j++) {
                    acc[j] += row[j];
                }
            }
            for (int j = 0; j < h; j++) {
                v[s * h + j] += (float) (weight * acc[j] / t.length(s));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Backward

    /**
     * The backward pass of the last {@link #forward} (with {@code train}), from the loss's gradients with respect to
     * the poolings ([S * H] each) and to hidden states ({@code hidden}: layer index to [N * H] over the packed tokens).
     * Adds into the gradients of every trained weight.
     */
    public void backward(Pass pass, Map<Pooling, float[]> dPool, Map<Integer, float[]> dHidden) {
        if (!pass.train || pass.a != plan) {
            throw new IllegalStateException("backward needs the activations of the last training forward pass");
        }
        Tokens t = pass.tokens;
        Plan a = pass.a;
        Arena m = a.arena;
        int n = t.count();
        // The gradient of the residual stream, at the top; dFirst collects layer 1's input (first_last_avg).
        m.zero(a.dx, (long) n * h);
        m.zero(a.dFirst, (long) n * h);
        for (Map.Entry<Pooling, float[]> e : dPool.entrySet()) {
            poolBackward(pass, e.getKey(), e.getValue());
        }
        addHidden(a, dHidden, layers, a.dx, n);
        int lowest = trainEmbeddings ? 0 : firstTrained;
        for (int l = layers - 1; l >= lowest; l--) {
            layerBackward(l, t, a, pass.drop, l > lowest || trainEmbeddings);
            if (l == 1) {
                addArena(m, a.dFirst, a.dx, n * h);
            }
            addHidden(a, dHidden, l, a.dx, n);
        }
        if (trainEmbeddings) {
            embeddingsBackward(t, a, pass.drop);
        }
    }

    private void addHidden(Plan a, Map<Integer, float[]> dHidden, int layer, long dst, int n) {
        float[] g = dHidden.get(layer);
        if (g == null) {
            return;
        }
        if (g.length != n * h) {
            throw new IllegalArgumentException(
                    "gradient of hidden(" + layer + ") has " + g.length + " values, expected " + n * h);
        }
        float[] cur = new float[n * h];
        a.arena.read(dst, cur, 0, cur.length);
        for (int i = 0; i < cur.length; i++) {
            cur[i] += g[i];
        }
        a.arena.write(dst, cur, 0, cur.length);
    }

    private static void addArena(Arena m, long from, long to, int count) {
        float[] x = new float[count];
        float[] y = new float[count];
        m.read(from, x, 0, count);
        m.read(to, y, 0, count);
        for (int i = 0; i < count; i++) {
            y[i] += x[i];
        }
        m.write(to, y, 0, count);
    }

    /** The gradient of one pooling into the top hidden states (and layer 1's for first_last_avg). */
    private void poolBackward(Pass pass, Pooling pooling, float[] g) {
        Tokens t = pass.tokens;
        Plan a = pass.a;
        Arena m = a.arena;
        int seqs = t.sequences();
        if (g.length != seqs * h) {
            throw new IllegalArgumentException(
                    "gradient of pooling " + pooling + " has " + g.length + " values, expected " + seqs * h);
        }
        float[] row = new float[h];
        switch (pooling) {
            case CLS, PROMPT -> {
                for (int s = 0; s < seqs; s++) {
                    addRow(m, a.dx + (long) pooledToken(t, s, pooling) * h, g, s * h, 1f, row);
                }
            }
            case POOLER, POOLER_LINEAR -> {
                // pooler = tanh(z), z = cls·Wᵀ + b (in a.pooled): dz = g ∘ (1 − tanh²z); pooler_linear is z: dz = g
                float[] dz = g.clone();
                if (pooling == Pooling.POOLER) {
                    float[] z = new float[seqs * h];
                    m.read(a.pooled, z, 0, z.length);
                    for (int i = 0; i < dz.length; i++) {
                        double y = Math.tanh(z[i]);
                        dz[i] *= (float) (1 - y * y);
                    }
                }
                m.write(a.dPooled, dz, 0, dz.length);
                if (trainPooler) {
                    Blas.gemm(
                            true,
                            false,
                            h,
                            h,
                            seqs,
                            1f,
                            m,
                            a.dPooled,
                            h,
                            m,
                            a.cls,
                            h,
                            1f,
                            grads,
                            p.poolerW - gradBase,
                            h);
                    Kernels.columnSums(m, a.dPooled, seqs, h, grads, p.poolerB - gradBase);
                }
                if (firstTrained < layers || trainEmbeddings) {
                    Blas.gemm(false, false, seqs, h, h, 1f, m, a.dPooled, h, p.values, p.poolerW, h, 0f, m, a.dCls, h);
                    float[] dcls = new float[seqs * h];
                    m.read(a.dCls, dcls, 0, dcls.length);
                    for (int s = 0; s < seqs; s++) {
                        addRow(m, a.dx + (long) t.starts()[s] * h, dcls, s * h, 1f, row);
                    }
                }
            }
            case MEAN -> spread(t, m, a.dx, g, 1f, row);
            case FIRST_LAST_AVG -> {
                spread(t, m, a.dx, g, 0.5f, row);
                spread(t, m, a.dFirst, g, 0.5f, row);
            }
            case MAX -> {
                if (pass.argmax == null) {
                    throw new IllegalStateException("max pooling's gradient needs pool(MAX) on the same pass");
                }
                for (int s = 0; s < seqs; s++) {
                    for (int j = 0; j < h; j++) {
                        long at = a.dx + (long) pass.argmax[s * h + j] * h + j;
                        m.put(at, m.get(at) + g[s * h + j]);
                    }
                }
            }
            default -> throw new IllegalStateException(pooling.id());
        }
    }

    /** Each token of sequence s gets weight · g[s] / length(s). */
    private void spread(Tokens t, Arena m, long dst, float[] g, float weight, float[] row) {
        for (int s = 0; s < t.sequences(); s++) {
            float k = weight / t.length(s);
            for (int i = t.starts()[s]; i < t.starts()[s + 1]; i++) {
                addRow(m, dst + (long) i * h, g, s * h, k, row);
            }
        }
    }

    private void addRow(Arena m, long at, float[] g, int gOff, float k, float[] row) {
        m.read(at, row, 0, h);
        for (int j = 0; j < h; j++) {
            row[j] += k * g[gOff + j];
        }
        m.write(at, row, 0, h);
    }

    /**
     * One layer backward, the forward in reverse: from dx (the gradient of the layer's output) to the gradient of its
     * input, in dx again when {@code needInput}.
     */
    private void layerBackward(int l, Tokens t, Plan a, Dropout drop, boolean needInput) {
        int n = t.count();
        BertParameters.Layer w = p.layers[l];
        Plan.LayerActs c = a.layer[l];
        Arena v = p.values;
        Arena m = a.arena;
        long gb = -gradBase;
        // Output LayerNorm: dx -> d(residual sum); the residual carries it to y1, dropout to the dense output.
        Kernels.layerNormBackward(
                m,
                a.dx,
                m,
                c.xhat2,
                c.rstd2,
                n,
                h,
                v,
                w.ln2Gain(),
                m,
                a.dy1,
                grads,
                w.ln2Gain() + gb,
                w.ln2Bias() + gb);
        m.copy(a.dy1, a.dTmp, (long) n * h);
        Kernels.mulMask(m, a.dTmp, n * h, drop.site(Dropout.outputSite(l)), 0);
        // Second dense: its weight and bias, and the gradient of GELU's output.
        Kernels.columnSums(m, a.dTmp, n, h, grads, w.outB() + gb);
        Blas.gemm(true, false, h, inter, n, 1f, m, a.dTmp, h, m, c.g, inter, 1f, grads, w.outW() + gb, inter);
        Blas.gemm(false, false, n, inter, h, 1f, m, a.dTmp, h, v, w.outW(), inter, 0f, m, a.du, inter);
        Kernels.geluBackward(m, a.du, m, c.u, n * inter, cfg.hiddenAct());
        // First dense: weight, bias, and its input's gradient added to the residual's.
        Kernels.columnSums(m, a.du, n, inter, grads, w.interB() + gb);
        Blas.gemm(true, false, inter, h, n, 1f, m, a.du, inter, m, c.y1, h, 1f, grads, w.interW() + gb, h);
        Blas.gemm(false, false, n, h, inter, 1f, m, a.du, inter, v, w.interW(), h, 1f, m, a.dy1, h);
        // Attention LayerNorm: dy1 -> the residual sum's gradient, which is the layer input's (in dx) and, through
        // dropout, the attention output's.
        Kernels.layerNormBackward(
                m,
                a.dy1,
                m,
                c.xhat1,
                c.rstd1,
                n,
                h,
                v,
                w.ln1Gain(),
                m,
                a.dx,
                grads,
                w.ln1Gain() + gb,
                w.ln1Bias() + gb);
        m.copy(a.dx, a.dTmp, (long) n * h);
        Kernels.mulMask(m, a.dTmp, n * h, drop.site(Dropout.attentionOutputSite(l)), 0);
        Kernels.columnSums(m, a.dTmp, n, h, grads, w.attnOutB() + gb);
        Blas.gemm(true, false, h, h, n, 1f, m, a.dTmp, h, m, c.ctx, h, 1f, grads, w.attnOutW() + gb, h);
        Blas.gemm(false, false, n, h, h, 1f, m, a.dTmp, h, v, w.attnOutW(), h, 0f, m, a.dCtx, h);
        // Attention, then the Q/K/V product.
        attentionBackward(t, a, c, drop.site(Dropout.probsSite(l)));
        Kernels.columnSums(m, a.dQkv, n, 3 * h, grads, w.qkvB() + gb);
        Blas.gemm(true, false, 3 * h, h, n, 1f, m, a.dQkv, 3 * h, m, c.in, h, 1f, grads, w.qkvW() + gb, h);
        if (needInput) {
            Blas.gemm(false, false, n, h, 3 * h, 1f, m, a.dQkv, 3 * h, v, w.qkvW(), h, 1f, m, a.dx, h);
        }
    }

    /**
     * Per sequence and head, with P the kept probabilities and Pd = P ∘ mask: dV = Pdᵀ·dC; dPd = dC·Vᵀ;
     * dS = P ∘ (dP − rowsum(dP ∘ P)) with dP = dPd ∘ mask; dQ = dS·K/√d; dK = dSᵀ·Q/√d.
     */
    private void attentionBackward(Tokens t, Plan a, Plan.LayerActs c, float[] mask) {
        Arena m = a.arena;
        float scale = (float) (1.0 / Math.sqrt(d));
        forEachHead(t, a, (s, hd, w) -> {
            int len = t.length(s);
            int start = t.starts()[s];
            long col = (long) hd * d;
            long q = c.qkv + (long) start * 3 * h + col;
            long dq = a.dQkv + (long) start * 3 * h + col;
            long dc = a.dCtx + (long) start * h + col;
            long probs = c.probs + a.probOffset(s, hd);
            float[] scratch = a.heapScratch(w);
            long used = probs;
            if (mask != null) {
                used = a.scratchA(w);
                copyMasked(m, probs, used, len * len, mask, a.probOffset(s, hd), scratch);
            }
            Blas.gemm(true, false, len, d, len, 1f, m, used, len, m, dc, h, 0f, m, dq + 2L * h, 3 * h);
            long dp = a.scratchB(w);
            Blas.gemm(false, true, len, len, d, 1f, m, dc, h, m, q + 2L * h, 3 * h, 0f, m, dp, len);
            float[] pr = new float[len * len];
            m.read(probs, pr, 0, pr.length);
            m.read(dp, scratch, 0, len * len);
            int mo = (int) a.probOffset(s, hd);
            for (int i = 0; i < len; i++) {
                int o = i * len;
                double dot = 0;
                for (int j = o; j < o + len; j++) {
                    if (mask != null) {
                        scratch[j] *= mask[mo + j];
                    }
                    dot += scratch[j] * pr[j];
                }
                float fd = (float) dot;
                for (int j = o; j < o + len; j++) {
                    scratch[j] = pr[j] * (scratch[j] - fd);
                }
            }
            m.write(dp, scratch, 0, len * len);
            Blas.gemm(false, false, len, d, len, scale, m, dp, len, m, q + h, 3 * h, 0f, m, dq, 3 * h);
            Blas.gemm(true, false, len, d, len, scale, m, dp, len, m, q, 3 * h, 0f, m, dq + h, 3 * h);
        });
    }

    /** Dropout, LayerNorm, then the three tables: position and type rows densely, word rows sparsely. */
    private void embeddingsBackward(Tokens t, Plan a, Dropout drop) {
        int n = t.count();
        Arena m = a.arena;
        long gb = -gradBase;
        Kernels.mulMask(m, a.dx, n * h, drop.site(0), 0);
        Kernels.layerNormBackward(
                m,
                a.dx,
                m,
                a.embXhat,
                a.embRstd,
                n,
                h,
                p.values,
                p.embLnGain,
                m,
                a.dx,
                grads,
                p.embLnGain + gb,
                p.embLnBias + gb);
        float[] de = new float[n * h];
        m.read(a.dx, de, 0, de.length);
        float[] row = new float[h];
        for (int i = 0; i < n; i++) {
            addTo(grads, p.posEmb + gb + (long) t.positions()[i] * h, de, i * h, row);
            addTo(grads, p.typeEmb + gb + (long) t.types()[i] * h, de, i * h, row);
            wordGrad.add(t.ids()[i], de, i * h);
        }
    }

    private void addTo(Arena g, long at, float[] src, int off, float[] row) {
        g.read(at, row, 0, h);
        for (int j = 0; j < h; j++) {
            row[j] += src[off + j];
        }
        g.write(at, row, 0, h);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The buffer plan

    private Plan plan(Tokens t, boolean train) {
        long probs = 0;
        int maxLen = t.maxLength();
        for (int s = 0; s < t.sequences(); s++) {
            probs += (long) heads * t.length(s) * t.length(s);
        }
        if (plan == null || !plan.fits(t.count(), t.sequences(), probs, maxLen, train)) {
            plan = null; // let the old arena go before the new one is made
            // Room to spare, so that a run's batches settle on one plan.
            plan = new Plan(grow(t.count()), grow(t.sequences()), grow(probs), grow(maxLen), train);
        }
        plan.bind(t, train);
        return plan;
    }

    private static int grow(long x) {
        return (int) Math.min(Integer.MAX_VALUE / 4, Math.max(8, x + x / 4));
    }

    /**
     * Every buffer of a pass at fixed offsets in one arena, sized for up to {@code n} tokens, {@code seqs} sequences,
     * {@code probs} attention probabilities per layer and sequences of up to {@code maxLen}. Frozen layers (and all
     * layers in inference) share one set of scratch buffers; trained layers each keep their own.
     */
    final class Plan {
        /** One layer's buffers: its input, Q/K/V, kept probabilities, context, LayerNorm outputs and statistics. */
        final class LayerActs {
            long in;
            long qkv;
            long probs;
            long ctx;
            long y1;
            long xhat1;
            long rstd1;
            long u;
            long g;
            long xhat2;
            long rstd2;
            long out;
            boolean kept;
        }

        final int capN;
        final int capS;
        final long capProbs;
        final int capLen;
        final boolean forTraining;
        final Arena arena;
        final LayerActs[] layer = new LayerActs[layers];
        final long[] hiddenAt = new long[layers + 1];
        long embXhat;
        long embRstd;
        long cls;
        long pooled;
        long dPooled;
        long dCls;
        long dx;
        long dy1;
        long dTmp;
        long du;
        long dQkv;
        long dCtx;
        long dFirst;
        private final long scratch;
        private final float[][] heap;
        private final long[] probOffsets;
        private final int[] lengths;
        boolean train;
        private long next;

        Plan(int n, int seqs, long probs, int maxLen, boolean training) {
            this.capN = n;
            this.capS = seqs;
            this.capProbs = probs;
            this.capLen = maxLen;
            this.forTraining = training;
            long nh = (long) n * h;
            long[] pingPong = {take(nh), take(nh)};
            long sharedQkv = take(3 * nh);
            long sharedCtx = take(nh);
            long sharedY1 = take(nh);
            long sharedU = take((long) n * inter);
            int lowestKept = !training ? layers : trainEmbeddings ? 0 : firstTrained;
            // Layer 0's output stays (first_last_avg reads it); so does the input of the lowest trained layer.
            for (int l = 0; l <= layers; l++) {
                boolean own = l == 1 || l >= lowestKept || l == layers;
                hiddenAt[l] = own ? take(nh) : pingPong[l % 2];
            }
            for (int l = 0; l < layers; l++) {
                LayerActs c = new LayerActs();
                c.kept = l >= lowestKept;
                c.in = hiddenAt[l];
                c.out = hiddenAt[l + 1];
                c.qkv = c.kept ? take(3 * nh) : sharedQkv;
                c.probs = c.kept ? take(probs) : -1;
                c.ctx = c.kept ? take(nh) : sharedCtx;
                c.y1 = c.kept ? take(nh) : sharedY1;
                c.u = c.kept ? take((long) n * inter) : sharedU;
                c.g = c.kept ? take((long) n * inter) : sharedU; // inference: GELU in place
                c.xhat1 = c.kept ? take(nh) : -1;
                c.rstd1 = c.kept ? take(n) : -1;
                c.xhat2 = c.kept ? take(nh) : -1;
                c.rstd2 = c.kept ? take(n) : -1;
                layer[l] = c;
            }
            embXhat = training && trainEmbeddings ? take(nh) : -1;
            embRstd = training && trainEmbeddings ? take(n) : -1;
            cls = take((long) seqs * h);
            pooled = take((long) seqs * h);
            if (training) {
                dPooled = take((long) seqs * h);
                dCls = take((long) seqs * h);
                dx = take(nh);
                dy1 = take(nh);
                dTmp = take(nh);
                du = take((long) n * inter);
                dQkv = take(3 * nh);
                dCtx = take(nh);
                dFirst = take(nh);
            }
            scratch = take(2L * workers * maxLen * maxLen);
            arena = new Arena(next);
            heap = new float[workers][maxLen * maxLen];
            probOffsets = new long[seqs];
            lengths = new int[seqs];
        }

        private long take(long size) {
            long at = next;
            next += Arena.aligned(Math.max(0, size));
            return at;
        }

        boolean fits(int n, int seqs, long probs, int maxLen, boolean training) {
            return n <= capN && seqs <= capS && probs <= capProbs && maxLen <= capLen && (forTraining || !training);
        }

        void bind(Tokens t, boolean training) {
            this.train = training;
            long acc = 0;
            for (int s = 0; s < t.sequences(); s++) {
                lengths[s] = t.length(s);
                probOffsets[s] = acc;
                acc += (long) heads * t.length(s) * t.length(s);
            }
        }

        /** Where sequence s, head hd's L × L probabilities start within a layer's probabilities (and in a mask). */
        long probOffset(int s, int hd) {
            return probOffsets[s] + (long) hd * lengths[s] * lengths[s];
        }

        long hidden(int i) {
            return hiddenAt[i];
        }

        long scratchA(int w) {
            return scratch + (long) w * 2 * capLen * capLen;
        }

        long scratchB(int w) {
            return scratchA(w) + (long) capLen * capLen;
        }

        float[] heapScratch(int w) {
            return heap[w];
        }
    }
}
