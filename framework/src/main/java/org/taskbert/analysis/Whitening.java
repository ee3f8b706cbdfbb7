package org.taskbert.analysis;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.taskbert.spi.eval.Moments;

/**
 * BERT-whitening (Su et al. 2021, "Whitening Sentence Representations for Better Semantics and Faster Retrieval"):
 * {@code x ↦ (x − μ)·W} with {@code Σ = U S Uᵀ} and {@code W = U·diag(1/√s)}, optionally keeping the first k columns.
 *
 * <p>Σ is symmetric positive semi-definite, so its SVD {@code U S Uᵀ} is its eigendecomposition; commons-math3's
 * {@link EigenDecomposition} computes it faster than its SVD. Columns of W are in order of
 * decreasing variance, so truncating to k keeps the top-k variance directions (the PCA subspace).
 *
 * <p>Rank deficiency (fewer samples than dimensions, or collinear features) is allowed: variances are floored at
 * {@code 1e-9·max(s)} (1 if all are zero), so W is always finite. On the fit set the directions of zero variance map
 * to ~0; on new data they are amplified by up to ~3·10⁴, so with n ≤ dim choose {@code k < n}.
 */
public final class Whitening {
    private final double[] mean;
    private final double[][] w; // dim × k

    private Whitening(double[] mean, double[][] w) {
        this.mean = mean;
        this.w = w;
    }

    /** Fits μ and W on the rows of x; k = 0 or dim keeps all columns, 0 < k < dim keeps the top-k directions. */
    public static Whitening fit(float[][] x, int k) {
        int d = Moments.dim(x);
        if (k < 0 || k > d) {
            throw new IllegalArgumentException("k must be in [0, " + d + "], got " + k);
        }
        int keep = k == 0 ? d : k;
        double[] mean = Moments.mean(x);
        double[] one = new double[d];
        Arrays.fill(one, 1);
        RealMatrix cov = new Array2DRowRealMatrix(Moments.gram(x, mean, one), false).scalarMultiply(1.0 / x.length);
        EigenDecomposition eig = new EigenDecomposition(cov);
        double[] s = eig.getRealEigenvalues();
        Integer[] order = IntStream.range(0, d)
                .boxed()
                .sorted(Comparator.comparingDouble(i -> -s[i]))
                .toArray(Integer[]::new);
        double floor = s[order[0]] > 0 ? 1e-9 * s[order[0]] : 1;
        double[][] w = new double[d][keep];
        for (int c = 0; c < keep; c++) {
            double[] u = eig.getEigenvector(order[c]).toArray();
            double scale = 1 / Math.sqrt(Math.max(s[order[c]], floor));
            for (int j = 0; j < d; j++) {
                w[j][c] = u[j] * scale;
            }
        }
        return new Whitening(mean, w);
    }

    /** {@code (x − μ)·W}, one output row of {@link #outputDim()} values per input row. */
    public float[][] apply(float[][] x) {
        if (Moments.dim(x) != mean.length) {
            throw new IllegalArgumentException("fitted on " + mean.length + " dims, got " + x[0].length);
        }
        float[][] out = new float[x.length][];
        double[] acc = new double[outputDim()];
        for (int i = 0; i < x.length; i++) {
            Arrays.fill(acc, 0);
            for (int j = 0; j < mean.length; j++) {
                double c = x[i][j] - mean[j];
                double[] wj = w[j];
                for (int col = 0; col < acc.length; col++) {
                    acc[col] += c * wj[col];
                }
            }
            out[i] = new float[acc.length];
            for (int col = 0; col < acc.length; col++) {
                out[i][col] = (float) acc[col];
            }
        }
        return out;
    }

    /** k, the number of kept directions (dim when fitted with k = 0). */
    public int outputDim() {
        return w[0].length;
    }
}
