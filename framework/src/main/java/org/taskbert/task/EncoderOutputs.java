package org.taskbert.task;

import org.nd4j.autodiff.samediff.SDVariable;
import org.taskbert.encoder.Pooling;
import org.taskbert.model.BertConfig;

/**
 * What a task's head reads from the encoder, as variables of its SameDiff graph. In training they are inputs that the
 * encoder fills ({@code org.taskbert.train.HeadInputs}); the loss's gradients with respect to them go back into the
 * encoder's own backward pass.
 */
public interface EncoderOutputs {

    /** The pooled sentence vector of each sequence, [B, H]. */
    SDVariable pool(Pooling p);

    /** The output of layer {@code i} (0 = embeddings), right-padded, [B, T, H] (zeros at padding). */
    SDVariable hidden(int i);

    /** The batch's 1/0 attention mask, [B, T]. */
    SDVariable attentionMask();

    BertConfig config();
}
