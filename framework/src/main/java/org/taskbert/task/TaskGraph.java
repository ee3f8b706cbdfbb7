package org.taskbert.task;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.encoder.BertGraph;

/**
 * The graph a task builds its head into: the shared encoder, and helpers for the task's own
 * placeholders and trainable head parameters (named {@code head.*}, saved with the checkpoint).
 */
public record TaskGraph(SameDiff sd, BertGraph encoder) {

    public SDVariable placeholder(String name, DataType type, long... shape) {
        return sd.placeHolder(name, type, shape);
    }

    /** A trainable head weight, initialised normal(0, std) from the given seed (BERT's init uses 0.02). */
    public SDVariable headWeight(String name, long seed, double std, long... shape) {
        org.taskbert.model.Tensor init = org.taskbert.model.RandomWeights.normal(
                new java.util.SplittableRandom(seed ^ name.hashCode()), std, shape);
        return sd.var("head." + name, Nd4j.create(init.data(), shape, 'c'));
    }

    /** A trainable scalar of the head, e.g. a learned scale. */
    public SDVariable headScalar(String name, float init) {
        return sd.var("head." + name, Nd4j.scalar(init).reshape(1, 1));
    }
}
