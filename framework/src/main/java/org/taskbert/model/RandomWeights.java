package org.taskbert.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Freshly initialised BERT weights (normal, std 0.02, as BERT's initializer; LayerNorm at 1 and 0),
 * for tests and smoke runs on tiny models built in code.
 */
public final class RandomWeights {

    private RandomWeights() {}

    public static BertWeights create(BertConfig c, long seed, boolean withPooler) {
        return create(c, seed, withPooler, 0.02);
    }

    /** As {@link #create(BertConfig, long, boolean)} with another standard deviation (tests use larger ones). */
    public static BertWeights create(BertConfig c, long seed, boolean withPooler, double std) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        int h = c.hiddenSize();
        w.put("embeddings.word_embeddings.weight", normal(rnd, std, c.vocabSize(), h));
        w.put("embeddings.position_embeddings.weight", normal(rnd, std, c.maxPositions(), h));
        w.put("embeddings.token_type_embeddings.weight", normal(rnd, std, c.typeVocabSize(), h));
        layerNorm(w, "embeddings.LayerNorm", h, rnd, std);
        for (int i = 0; i < c.numLayers(); i++) {
            for (String name : new String[] {
                "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"
            }) {
                dense(w, BertWeights.layer(i, name), h, h, rnd, std);
            }
            layerNorm(w, BertWeights.layer(i, "attention.output.LayerNorm"), h, rnd, std);
            dense(w, BertWeights.layer(i, "intermediate.dense"), c.intermediateSize(), h, rnd, std);
            dense(w, BertWeights.layer(i, "output.dense"), h, c.intermediateSize(), rnd, std);
            layerNorm(w, BertWeights.layer(i, "output.LayerNorm"), h, rnd, std);
        }
        if (withPooler) {
            dense(w, "pooler.dense", h, h, rnd, std);
        }
        return new BertWeights(c, w, "random weights (seed " + seed + ")");
    }

    private static void dense(Map<String, Tensor> w, String prefix, int out, int in, SplittableRandom rnd, double std) {
        w.put(prefix + ".weight", normal(rnd, std, out, in));
        w.put(prefix + ".bias", normal(rnd, std, out));
    }

    /** Gamma near 1 and beta near 0, randomised by {@code std} so that tests see them used. */
    private static void layerNorm(Map<String, Tensor> w, String prefix, int h, SplittableRandom rnd, double std) {
        Tensor gamma = normal(rnd, std, h);
        for (int i = 0; i < h; i++) {
            gamma.data()[i] = 1f + gamma.data()[i];
        }
        w.put(prefix + ".weight", gamma);
        w.put(prefix + ".bias", normal(rnd, std, h));
    }

    /** Normal(0, std) values of the given shape from {@code rnd}. */
    public static Tensor normal(SplittableRandom rnd, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new Tensor(shape, org.taskbert.spi.TaskGraph.normal(rnd, std, Math.toIntExact(n)));
    }
}
