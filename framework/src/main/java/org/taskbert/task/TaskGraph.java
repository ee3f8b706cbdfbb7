package org.taskbert.task;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The graph a task builds its head into: the shared encoder's outputs, and helpers for the task's own
 * placeholders and trainable head parameters (named {@code head.*}, saved with the checkpoint).
 */
public record TaskGraph(SameDiff sd, EncoderOutputs encoder) {

    public SDVariable placeholder(String name, DataType type, long... shape) {
        return sd.placeHolder(name, type, shape);
    }

    /** A trainable head weight, initialised normal(0, std) from the given seed (BERT's init uses 0.02). */
    public SDVariable headWeight(String name, long seed, double std, long... shape) {
        org.taskbert.model.Tensor init = org.taskbert.model.RandomWeights.normal(
                new java.util.SplittableRandom(seed ^ name.hashCode()), std, shape);
        return sd.var("head." + name, Nd4j.create(init.data(), shape, 'c'));
    }

    /**
     * log Σ exp over dimension 1 of [N, C] logits, as [N]: max + log Σ exp(x − max), from basic ops
     * because M2.1's {@code logSumExp} op fails in its backward pass.
     */
    public SDVariable logSumExp(SDVariable logits) {
        SDVariable max = sd.max(logits, true, 1);
        SDVariable lse = max.add(sd.math.log(sd.sum(sd.math.exp(logits.sub(max)), true, 1)));
        return sd.reshape(lse, -1);
    }

    /** A trainable scalar of the head, e.g. a learned scale. */
    public SDVariable headScalar(String name, float init) {
        return sd.var("head." + name, Nd4j.scalar(init).reshape(1, 1));
    }
}
