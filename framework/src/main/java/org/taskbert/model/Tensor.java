package org.taskbert.model;

import java.util.Arrays;

/**
 * A named float32 weight as read from a checkpoint, row-major (C order), before it becomes an
 * ND4J array. Checkpoint readers produce these so that the file formats stay free of ND4J.
 */
public record Tensor(long[] shape, float[] data) {

    public Tensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + n + " values, data has " + data.length);
        }
    }

    public int rank() {
        return shape.length;
    }

    public long size(int dim) {
        return shape[dim];
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
