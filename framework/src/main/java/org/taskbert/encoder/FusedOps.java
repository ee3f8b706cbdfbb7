package org.taskbert.encoder;

import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Helpers of the fused loops ({@link Kernels}, {@code AdamW}): float32 erf without exp (so that the GELU loops
 * vectorize), raw access to an ND4J array's off-heap floats, and a parallel loop over all cores.
 */
public final class FusedOps {

    private FusedOps() {}

    /**
     * erf for float32 to within 5e-7 absolute (4.2e-7 measured) ({@code FusedOpsTest} checks it against commons-math3 on a dense grid):
     * Eigen's rational approximation on [-4, 4] (an odd polynomial over an even one), where erf is ±1 in float32
     * beyond. No exp, so the loop vectorizes.
     */
    public static float erf(float a) {
        float x = Math.max(-4f, Math.min(4f, a));
        float x2 = x * x;
        float p = x2 * -2.72614225801306e-10f + 2.77068142495902e-08f;
        p = x2 * p + -2.10102402082508e-06f;
        p = x2 * p + -5.69250639462346e-05f;
        p = x2 * p + -7.34990630326855e-04f;
        p = x2 * p + -2.95459980854025e-03f;
        p = x2 * p + -1.60960333262415e-02f;
        p = x * p;
        float q = x2 * -1.45660718464996e-05f + -2.13374055278905e-04f;
        q = x2 * q + -1.68282697438203e-03f;
        q = x2 * q + -7.37332916720468e-03f;
        q = x2 * q + -1.42647390514189e-02f;
        return p / q;
    }

    /**
     * The array's whole off-heap buffer as floats, for a loop of one's own over it (callers index from
     * {@code a.offset()}); the array must be contiguous row-major float32.
     */
    public static FloatBuffer floats(INDArray a) {
        if (a.dataType() != DataType.FLOAT
                || (a.ordering() != 'c' && !a.isVectorOrScalar())
                || a.elementWiseStride() != 1) {
            throw new IllegalArgumentException(
                    "expected a contiguous row-major float32 array, got " + a.shapeInfoToString());
        }
        return a.data().asNioFloat();
    }

    /** Runs body(0..tasks-1) on all cores (the caller's thread alone for one task). */
    public static void parallel(int tasks, java.util.function.IntConsumer body) {
        if (tasks == 1) {
            body.accept(0);
        } else {
            IntStream.range(0, tasks).parallel().forEach(body);
        }
    }
}
