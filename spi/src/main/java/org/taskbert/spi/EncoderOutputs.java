package org.taskbert.spi;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What a task's head reads from the encoder, as variables of its SameDiff graph. The engine fills them from its own
 * forward pass over {@link Batch#sequences()}; the loss's gradients with respect to them go back into the encoder.
 */
public interface EncoderOutputs {

    /** The pooled sentence vector of each sequence, [B, H]. */
    SDVariable pool(Pooling p);

    /** The output of layer {@code i} (0 = embeddings), right-padded, [B, T, H] (zeros at padding). */
    SDVariable hidden(int i);

    /** The batch's 1/0 attention mask, [B, T]. */
    SDVariable attentionMask();

    ModelShape shape();
}
