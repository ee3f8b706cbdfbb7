package org.taskbert.analysis;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.taskbert.spi.eval.Moments;
import org.taskbert.spi.eval.Spearman;
import org.taskbert.spi.eval.Splits;

/**
 * Linear regression probe {@code y ≈ w·x + b}: ridge on z-scored features, solved in closed form by Cholesky.
 *
 * <p>With Z the standardised training rows, {@code (ZᵀZ + λI) w = Zᵀ(y − ȳ)} and {@code b = ȳ}; λ is on the scale of
 * the summed squared error, so it grows with n. The standardisation is folded into the returned weights.
 */
public final class RidgeProbe {
    private final double[] weights; // acting on raw x
    private final double bias;
    private final double lambda;

    private RidgeProbe(double[] weights, double bias, double lambda) {
        this.weights = weights;
        this.bias = bias;
        this.lambda = lambda;
    }

    /** Fits on all of x with {@code lambda > 0} (which keeps the system positive definite even when n ≤ dim). */
    public static RidgeProbe train(float[][] x, double[] y, double lambda) {
        return trainAll(x, y, new double[] {lambda})[0];
    }

    /**
     * Picks λ from the grid by Spearman correlation on a held-out {@code validationFraction} of the training data
     * (ties go to the larger λ), then refits on all of x with it.
     */
    public static RidgeProbe trainWithValidation(
            float[][] x, double[] y, double[] lambdaGrid, double validationFraction, long seed) {
        if (lambdaGrid.length == 0) {
            throw new IllegalArgumentException("empty lambda grid");
        }
        int[][] split = Splits.trainTest(x.length, validationFraction, seed);
        RidgeProbe[] fits = trainAll(Splits.rows(x, split[0]), Splits.pick(y, split[0]), lambdaGrid);
        float[][] valX = Splits.rows(x, split[1]);
        double[] valY = Splits.pick(y, split[1]);
        double best = Double.NaN;
        double bestRho = Double.NEGATIVE_INFINITY;
        for (RidgeProbe fit : fits) {
            double rho = Spearman.correlation(fit.predict(valX), valY); // NaN (constant predictions) never wins
            if (rho > bestRho || rho == bestRho && fit.lambda > best) {
                best = fit.lambda;
                bestRho = rho;
            }
        }
        if (Double.isNaN(best)) {
            throw new IllegalArgumentException("no λ gave a defined held-out Spearman (constant predictions or y)");
        }
        return train(x, y, best);
    }

    /** {@code [u⊙v, |u−v|]} per row pair: the 2·dim features of the STS regression probe. */
    public static float[][] pairFeatures(float[][] u, float[][] v) {
        int d = Moments.dim(u);
        if (u.length != v.length || Moments.dim(v) != d) {
            throw new IllegalArgumentException("u is " + u.length + "×" + d + ", v is " + v.length + "×" + v[0].length);
        }
        float[][] out = new float[u.length][2 * d];
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i][j] = u[i][j] * v[i][j];
                out[i][d + j] = Math.abs(u[i][j] - v[i][j]);
            }
        }
        return out;
    }

    /** {@code w·x + b} for each row. */
    public double[] predict(float[][] x) {
        if (Moments.dim(x) != weights.length) {
            throw new IllegalArgumentException("trained on " + weights.length + " dims, got " + x[0].length);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double sum = bias;
            for (int j = 0; j < weights.length; j++) {
                sum += weights[j] * x[i][j];
            }
            out[i] = sum;
        }
        return out;
    }

    /** The λ this probe was trained with (the chosen one, after {@link #trainWithValidation}). */
    public double lambda() {
        return lambda;
    }

    /** One fit per λ, sharing the Gram matrix. */
    private static RidgeProbe[] trainAll(float[][] x, double[] y, double[] lambdas) {
        int d = Moments.dim(x);
        if (y.length != x.length) {
            throw new IllegalArgumentException(x.length + " rows but " + y.length + " targets");
        }
        double[] mu = Moments.mean(x);
        double[] sd = Moments.std(x, mu);
        double yMean = 0;
        for (double v : y) {
            yMean += v / y.length;
        }
        double[] zty = new double[d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                zty[j] += (x[i][j] - mu[j]) / sd[j] * (y[i] - yMean);
            }
        }
        double[][] gram = Moments.gram(x, mu, sd);
        RidgeProbe[] fits = new RidgeProbe[lambdas.length];
        for (int l = 0; l < lambdas.length; l++) {
            double lambda = lambdas[l];
            if (!(lambda > 0)) {
                throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
            }
            Array2DRowRealMatrix a = new Array2DRowRealMatrix(gram);
            for (int j = 0; j < d; j++) {
                a.addToEntry(j, j, lambda);
            }
            double[] w;
            try {
                w = new CholeskyDecomposition(a)
                        .getSolver()
                        .solve(new ArrayRealVector(zty, false))
                        .toArray();
            } catch (NonPositiveDefiniteMatrixException e) {
                throw new IllegalArgumentException(
                        "lambda " + lambda + " is too small for this rank-deficient data", e);
            }
            double bias = yMean;
            for (int j = 0; j < d; j++) {
                w[j] /= sd[j];
                bias -= mu[j] * w[j];
            }
            fits[l] = new RidgeProbe(w, bias, lambda);
        }
        return fits;
    }
}
