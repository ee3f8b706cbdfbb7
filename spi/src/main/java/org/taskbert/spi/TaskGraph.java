package org.taskbert.spi;

import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The graph a task builds its head into: the shared encoder's outputs, and helpers for the task's own
 * placeholders, row selections and trainable head parameters (named {@code head.*}, saved with the checkpoint).
 */
public record TaskGraph(SameDiff sd, EncoderOutputs encoder) {

    public SDVariable placeholder(String name, DataType type, long... shape) {
        return sd.placeHolder(name, type, shape);
    }

    /**
     * The rows of {@code x} that the batch's {@link BatchBuilder#rows} of this name picks, as a product with a 0/1
     * matrix: M2.1 cannot differentiate several gathers of one variable.
     */
    public SDVariable select(String name, SDVariable x) {
        return sd.mmul(sd.placeHolder(name, DataType.FLOAT, -1, -1), x);
    }

    /** Names a variable for {@link HeadRunner#run}: e.g. a classifier's logits, for the task's evaluation. */
    public SDVariable output(String name, SDVariable x) {
        return sd.identity(name, x);
    }

    /** A trainable head weight, initialised normal(0, std) from the given seed (BERT's init uses 0.02). */
    public SDVariable headWeight(String name, long seed, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] init = normal(new SplittableRandom(seed ^ name.hashCode()), std, Math.toIntExact(n));
        return sd.var("head." + name, Nd4j.create(init, shape, 'c'));
    }

    /** {@code n} draws of normal(0, std), by Box–Muller (SplittableRandom has no nextGaussian in Java 17). */
    public static float[] normal(SplittableRandom rnd, double std, int n) {
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1.0 - rnd.nextDouble();
            double u2 = rnd.nextDouble();
            data[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return data;
    }

    /** A trainable scalar of the head, e.g. a learned scale. */
    public SDVariable headScalar(String name, float init) {
        return sd.var("head." + name, Nd4j.scalar(init).reshape(1, 1));
    }
}
