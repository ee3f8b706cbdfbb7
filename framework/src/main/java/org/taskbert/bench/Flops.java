package org.taskbert.bench;

import org.taskbert.model.BertConfig;

/**
 * FLOP counts for BERT as the benchmarks quote them: 2 × (non-embedding parameters) per token for
 * the forward pass, plus attention (QKᵀ and PV: 4·T·H per token per layer). A training step is the forward pass
 * plus a backward pass of twice the forward cost through the layers that get one: 3× the forward when all layers
 * train, less when the lower layers are frozen (they get no backward pass, so counting it would flatter the rate).
 */
public final class Flops {

    private Flops() {}

    /** Weights of the transformer layers (dense kernels only; biases and LayerNorm are negligible). */
    public static long layerParameters(BertConfig c) {
        long h = c.hiddenSize();
        return (long) c.numLayers() * (4 * h * h + 2 * h * c.intermediateSize());
    }

    /** Forward FLOPs of one sequence of {@code t} real tokens. */
    public static double forward(BertConfig c, int t) {
        return 2.0 * layerParameters(c) * t + 4.0 * c.numLayers() * (double) t * t * c.hiddenSize();
    }

    /**
     * Training FLOPs given the step's forward FLOPs: forward plus a backward of twice the forward through the
     * {@code trainedLayers} top layers ({@code < 0}: all of them).
     */
    public static double training(BertConfig c, double forwardFlops, int trainedLayers) {
        int trained = trainedLayers < 0 ? c.numLayers() : Math.min(trainedLayers, c.numLayers());
        return forwardFlops * (1 + 2.0 * trained / c.numLayers());
    }
}
