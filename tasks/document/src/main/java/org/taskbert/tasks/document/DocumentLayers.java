package org.taskbert.tasks.document;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The document encoder: self-attention layers over a document's sentence vectors, in the style of BERT's own layers
 * (post-LN, multi-head attention with a key mask, GELU feed-forward), top to bottom in {@link #documentVectors}.
 *
 * <p>A document is a sequence of T = 1 + sentences rows: row 0 is the [DOC] slot, rows 1.. its sentence vectors.
 * Inputs are placeholders, flattened to [B·T, ·]: {@link #SENTENCES} [B·T, H] (zeros at the slot and padding; or,
 * with a fine-tuned encoder, the pooled sequences placed by {@link #SCATTER}),
 * {@link #SLOT} [B·T, 1] (1 at the slot), {@link #POSITIONS} [B·T, P] (one-hot sentence index, 0 = the slot; all
 * zeros for padding) and {@link #MASK} [B, T] (1 for the slot and sentences, 0 for padding). Positions and the slot are
 * read by products with these 0/1 matrices (M2.1 cannot differentiate several gathers in one graph).
 *
 * <p>Parameters come from a {@link Params} source: the task's trainable head weights (evaluation runs the same graph
 * through the head runner), or constants in the tests.
 */
final class DocumentLayers {

    static final String SENTENCES = "document.sentences";
    /** Fine-tuned sentences: a 0/1 [B·T, N] matrix placing the batch's N pooled sequences at their document rows. */
    static final String SCATTER = "document.scatter";

    static final String SLOT = "document.slot";
    static final String POSITIONS = "document.positions";
    static final String MASK = "document.mask";
    private static final double LAYER_NORM_EPS = 1e-6;

    /** A parameter by name, shape and initial standard deviation (0: zeros). */
    interface Params {
        SDVariable get(String name, double std, long... shape);
    }

    /** The sizes of the document layers. */
    record Shape(int hidden, int heads, int ffn, int layers, int positions, boolean attentionPooling) {
        Shape {
            if (hidden % heads != 0) {
                throw new IllegalArgumentException(
                        "the hidden size " + hidden + " is not a multiple of the " + heads + " heads");
            }
        }
    }

    private final SameDiff sd;
    private final Params p;
    private final Shape s;

    private DocumentLayers(SameDiff sd, Params p, Shape s) {
        this.sd = sd;
        this.p = p;
        this.s = s;
    }

    /** The document vectors [B, H] of documents fed as sentence vectors ({@link #SENTENCES}). */
    static SDVariable documentVectors(SameDiff sd, Params params, Shape shape) {
        return documentVectors(sd, params, shape, sd.placeHolder(SENTENCES, DataType.FLOAT, -1, shape.hidden()));
    }

    /**
     * The document vectors [B, H] of {@code sentences} [B·T, H] (zeros at the slot and padding): the placeholder, or
     * the encoder's pooled vectors placed by {@link #SCATTER} when the sentence encoder trains with the head.
     */
    static SDVariable documentVectors(SameDiff sd, Params params, Shape shape, SDVariable sentences) {
        return new DocumentLayers(sd, params, shape).forward(sentences);
    }

    private SDVariable forward(SDVariable sentences) {
        int h = s.hidden();
        SDVariable slot = sd.placeHolder(SLOT, DataType.FLOAT, -1, 1);
        SDVariable positions = sd.placeHolder(POSITIONS, DataType.FLOAT, -1, s.positions());
        SDVariable mask = sd.placeHolder(MASK, DataType.FLOAT, -1, -1);
        SDVariable bt = sd.shape(mask).castTo(DataType.INT64);
        SDVariable shapeBTH = sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) h)));
        SDVariable shapeBTNH = sd.concat(0, bt, sd.constant(Nd4j.createFromArray((long) s.heads(), h / s.heads())));

        // Input: the sentence vector (or the learned [DOC] vector) plus the sentence-index embedding, then LayerNorm.
        SDVariable x = sentences
                .add(slot.mul(p.get("doc.slot", 0.02, 1, h)))
                .add(sd.mmul(positions, p.get("doc.position", 0.02, s.positions(), h)));
        x = layerNorm(x, "doc.input.LayerNorm");

        // Additive key mask, 0 for the slot and sentences, −10000 for padding: [B, 1, 1, T].
        SDVariable maskAdd = sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(-10000.0), 1), 1);
        double scale = 1.0 / Math.sqrt(h / s.heads());
        for (int i = 0; i < s.layers(); i++) {
            String l = "doc.layer" + i + ".";
            SDVariable q = heads(dense(x, l + "query", h, h), shapeBTNH);
            SDVariable k = heads(dense(x, l + "key", h, h), shapeBTNH);
            SDVariable v = heads(dense(x, l + "value", h, h), shapeBTNH);
            SDVariable probs =
                    sd.nn.softmax(sd.mmul(q, k, false, true, false).mul(scale).add(maskAdd), 3);
            SDVariable ctx = sd.reshape(sd.permute(sd.mmul(probs, v), 0, 2, 1, 3), -1, h);
            x = layerNorm(dense(ctx, l + "attention.output", h, h).add(x), l + "attention.LayerNorm");
            SDVariable inner = gelu(dense(x, l + "intermediate", h, s.ffn()));
            x = layerNorm(dense(inner, l + "output", s.ffn(), h).add(x), l + "output.LayerNorm");
        }
        SDVariable states = sd.reshape(x, shapeBTH); // [B, T, H]
        if (!s.attentionPooling()) {
            return states.get(SDIndex.all(), SDIndex.point(0), SDIndex.all()); // the [DOC] slot's output
        }
        // Attention pooling over the sentences (the slot and padding excluded) with a learned query.
        SDVariable sentenceMask = mask.sub(sd.reshape(slot, bt)); // [B, T]
        SDVariable query = sd.reshape(p.get("doc.pooling.query", 0.02, 1, h), 1, 1, h);
        SDVariable scores = sd.sum(states.mul(query), true, 2)
                .add(sd.expandDims(sentenceMask.sub(1.0).mul(10000.0), 2)); // [B, T, 1]
        SDVariable weights = sd.nn.softmax(scores, 1);
        return sd.reshape(sd.sum(states.mul(weights), true, 1), -1, h);
    }

    /**
     * The placeholders for documents given as their sentence vectors ([n_i, H] each, n_i below the positions): T is
     * one more than the longest document's sentences.
     */
    static Map<String, INDArray> inputs(List<float[][]> docs, int positions, int hidden) {
        int[] counts = docs.stream().mapToInt(d -> d.length).toArray();
        int t = rows(counts);
        float[] sentences = new float[counts.length * t * hidden];
        for (int d = 0; d < counts.length; d++) {
            for (int i = 0; i < counts[d]; i++) {
                System.arraycopy(docs.get(d)[i], 0, sentences, (d * t + 1 + i) * hidden, hidden);
            }
        }
        Map<String, INDArray> out = new HashMap<>(layout(counts, positions));
        out.put(SENTENCES, Nd4j.create(sentences, new long[] {(long) counts.length * t, hidden}, 'c'));
        return out;
    }

    /**
     * The placeholders for documents whose sentences are the batch's encoder rows, document after document in order
     * ({@code counts[d]} rows for document d): {@link #SCATTER} instead of {@link #SENTENCES}.
     */
    static Map<String, INDArray> encodedInputs(int[] counts, int positions) {
        int t = rows(counts);
        int n = Arrays.stream(counts).sum();
        float[][] scatter = new float[counts.length * t][n];
        int seq = 0;
        for (int d = 0; d < counts.length; d++) {
            for (int i = 0; i < counts[d]; i++) {
                scatter[d * t + 1 + i][seq++] = 1;
            }
        }
        Map<String, INDArray> out = new HashMap<>(layout(counts, positions));
        out.put(SCATTER, Nd4j.createFromArray(scatter));
        return out;
    }

    /** T: the [DOC] slot and the longest document's sentences. */
    private static int rows(int[] counts) {
        return 1 + Arrays.stream(counts).max().orElse(0);
    }

    /** {@link #SLOT}, {@link #POSITIONS} and {@link #MASK} for documents of {@code counts} sentences. */
    private static Map<String, INDArray> layout(int[] counts, int positions) {
        int t = rows(counts);
        int b = counts.length;
        float[] slot = new float[b * t];
        float[] pos = new float[b * t * positions];
        float[] mask = new float[b * t];
        for (int d = 0; d < b; d++) {
            if (counts[d] + 1 > positions) {
                throw new IllegalArgumentException(
                        "a document of " + counts[d] + " sentences; at most " + (positions - 1) + " have positions");
            }
            slot[d * t] = 1;
            for (int i = 0; i <= counts[d]; i++) {
                int row = d * t + i;
                mask[row] = 1;
                pos[row * positions + i] = 1;
            }
        }
        return Map.of(
                SLOT,
                Nd4j.create(slot, new long[] {(long) b * t, 1}, 'c'),
                POSITIONS,
                Nd4j.create(pos, new long[] {(long) b * t, positions}, 'c'),
                MASK,
                Nd4j.create(mask, new long[] {b, t}, 'c'));
    }

    private SDVariable heads(SDVariable x2d, SDVariable shapeBTNH) {
        return sd.permute(sd.reshape(x2d, shapeBTNH), 0, 2, 1, 3);
    }

    private SDVariable dense(SDVariable x, String prefix, int in, int out) {
        return sd.mmul(x, p.get(prefix + ".weight", 0.02, in, out)).add(p.get(prefix + ".bias", 0, 1, out));
    }

    /** LayerNorm over the hidden dimension; the gain is held as 1 + g with g starting at 0. */
    private SDVariable layerNorm(SDVariable x, String prefix) {
        SDVariable centred = x.sub(sd.mean(x, true, 1));
        SDVariable var = sd.mean(centred.mul(centred), true, 1);
        SDVariable normed = centred.mul(sd.math.rsqrt(var.add(LAYER_NORM_EPS)));
        return normed.mul(p.get(prefix + ".weight", 0, 1, s.hidden()).add(1.0))
                .add(p.get(prefix + ".bias", 0, 1, s.hidden()));
    }

    /** The exact GELU, 0.5·x·(1 + erf(x/√2)). */
    private SDVariable gelu(SDVariable x) {
        return x.mul(sd.math.erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0)).mul(0.5);
    }
}
