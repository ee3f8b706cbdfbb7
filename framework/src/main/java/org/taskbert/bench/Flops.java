package org.taskbert.bench;

import org.taskbert.model.BertConfig;

/**
 * FLOP counts for BERT as the benchmarks quote them: 2 × (non-embedding parameters) per token for
 * the forward pass, plus attention (QKᵀ and PV: 4·T·H per token per layer); training is 3× that.
 */
public final class Flops {

    private Flops() {
    }

    /** Weights of the transformer layers (dense kernels only; biases and LayerNorm are negligible). */
    public static long layerParameters(BertConfig c) {
        long h = c.hiddenSize();
        return (long) c.numLayers() * (4 * h * h + 2 * h * c.intermediateSize());
    }

    /** Forward FLOPs of one sequence of {@code t} real tokens. */
    public static double forward(BertConfig c, int t) {
        return 2.0 * layerParameters(c) * t + 4.0 * c.numLayers() * (double) t * t * c.hiddenSize();
    }
}
