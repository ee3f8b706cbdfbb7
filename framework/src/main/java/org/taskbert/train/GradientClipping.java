package org.taskbert.train;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Clipping of all gradients together by their global L2 norm. */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Scales all gradients in place so that their global L2 norm is at most {@code maxNorm} (by
     * {@code maxNorm / (norm + 1e-6)}, as PyTorch's {@code clip_grad_norm_}, when the norm exceeds it) and returns the
     * norm before clipping. {@code maxNorm <= 0} disables clipping. A non-finite norm is returned with the gradients
     * untouched: the caller should stop.
     */
    public static double clipByGlobalNorm(Map<String, INDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        double scale = scale(norm, maxNorm);
        if (scale != 1) {
            for (INDArray g : grads.values()) {
                g.muli(scale);
            }
        }
        return norm;
    }

    /** The global L2 norm of all gradients together. */
    public static double globalNorm(Map<String, INDArray> grads) {
        double sumOfSquares = 0;
        for (INDArray g : grads.values()) {
            double n = g.norm2Number().doubleValue();
            sumOfSquares += n * n;
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * The factor {@link #clipByGlobalNorm} multiplies the gradients by, for an optimiser that applies it in its own
     * pass over them (one pass over the gradients less): 1 unless the norm exceeds {@code maxNorm > 0}.
     */
    public static double scale(double norm, double maxNorm) {
        return maxNorm > 0 && Double.isFinite(norm) && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
    }
}
