package org.taskbert.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.taskbert.spi.eval.Moments;
import org.taskbert.spi.eval.Spearman;

class WhiteningTest {

    /** Rows μ + z·A with z standard normal, so the planted covariance is AᵀA. */
    private static float[][] planted(int n, double[][] a, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = a[0].length;
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = 5 + j;
            }
            for (double[] ar : a) {
                double z = random.nextGaussian();
                for (int j = 0; j < d; j++) {
                    row[j] += (float) (z * ar[j]);
                }
            }
        }
        return x;
    }

    private static double[][] covariance(float[][] x) {
        double[] mean = Moments.mean(x);
        double[] one = new double[mean.length];
        java.util.Arrays.fill(one, 1);
        double[][] g = Moments.gram(x, mean, one);
        for (double[] row : g) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= x.length;
            }
        }
        return g;
    }

    private static void assertIdentityCovarianceAndZeroMean(float[][] y, double tolerance) {
        for (double m : Moments.mean(y)) {
            assertEquals(0, m, tolerance);
        }
        double[][] cov = covariance(y);
        for (int a = 0; a < cov.length; a++) {
            for (int b = 0; b < cov.length; b++) {
                assertEquals(a == b ? 1 : 0, cov[a][b], tolerance, "cov[" + a + "][" + b + "]");
            }
        }
    }

    @Test
    void whitenedFitSetHasIdentityCovarianceAndZeroMean() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] a = new double[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                a[i][j] = random.nextGaussian() * (i + 1);
            }
        }
        float[][] x = planted(3000, a, 4);
        Whitening w = Whitening.fit(x, 0);
        assertEquals(8, w.outputDim());
        assertIdentityCovarianceAndZeroMean(w.apply(x), 1e-6);
    }

    @Test
    void truncationKeepsTheTopVarianceDirections() {
        double[] sd = {10, 6, 3, 1, 0.5, 0.2};
        double[][] a = new double[6][6];
        for (int i = 0; i < 6; i++) {
            a[i][i] = sd[i]; // axis-aligned variances; whitening is rotation-equivariant, so axes lose nothing
        }
        float[][] x = planted(3000, a, 5);
        Whitening w = Whitening.fit(x, 2);
        assertEquals(2, w.outputDim());
        assertIdentityCovarianceAndZeroMean(w.apply(x), 1e-6);
        // the map is affine, so apply(m + v) − apply(m) = v·W: W's columns span axes 0 and 1 only
        for (int axis = 0; axis < 6; axis++) {
            float[] origin = x[0].clone();
            float[] moved = x[0].clone();
            moved[axis] += (float) sd[axis];
            float[][] y = w.apply(new float[][] {origin, moved});
            double norm = Math.hypot(y[1][0] - y[0][0], y[1][1] - y[0][1]);
            if (axis < 2) {
                assertEquals(1, norm, 0.05, "one planted sd along kept axis " + axis);
            } else {
                assertTrue(norm < 0.02, "axis " + axis + " should be dropped, moved " + norm);
            }
        }
    }

    @Test
    void fewerSamplesThanDimensionsStaysFinite() {
        SplittableRandom random = new SplittableRandom(6);
        float[][] x = new float[5][10];
        for (float[] row : x) {
            for (int j = 0; j < 10; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        for (float[] row : Whitening.fit(x, 0).apply(x)) {
            for (float v : row) {
                assertTrue(Float.isFinite(v));
            }
        }
        // 5 centred rows span 4 directions; keeping those 4 whitens the fit set exactly
        assertIdentityCovarianceAndZeroMean(Whitening.fit(x, 4).apply(x), 1e-5);
        float[][] same = {{1, 2, 3}, {1, 2, 3}};
        for (float[] row : Whitening.fit(same, 0).apply(same)) {
            assertEquals(0, Math.abs(row[0]) + Math.abs(row[1]) + Math.abs(row[2]), 0);
        }
    }

    @Test
    void rejectsBadK() {
        float[][] x = {{1, 2}, {3, 5}, {0, 1}};
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(x, 3));
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(x, -1));
        assertThrows(IllegalArgumentException.class, () -> Whitening.fit(x, 0).apply(new float[][] {{1, 2, 3}}));
    }

    /**
     * The report's key scenario. Each sentence vector = a large common offset (the same for all) + strong noise in
     * 3 high-variance nuisance directions + a 16-dim topic vector + weak isotropic background. A pair shares topic
     * with correlation ρ ~ U(0, 1), and ρ is the gold score. Raw cosine sees mostly offset and nuisance.
     */
    @Test
    void whiteningRepairsCosineOnAnisotropicSentencePairs() {
        int n = 1000;
        int dim = 64;
        int nuisance = 3;
        int topic = 16;
        SplittableRandom random = new SplittableRandom(1);
        double[] offset = new double[dim];
        for (int j = 0; j < dim; j++) {
            offset[j] = 4 + random.nextGaussian();
        }
        float[][] u = new float[n][dim];
        float[][] v = new float[n][dim];
        double[] gold = new double[n];
        for (int i = 0; i < n; i++) {
            double rho = random.nextDouble();
            gold[i] = rho;
            for (int j = 0; j < dim; j++) {
                u[i][j] = (float) (offset[j] + 0.3 * random.nextGaussian());
                v[i][j] = (float) (offset[j] + 0.3 * random.nextGaussian());
            }
            for (int j = 0; j < nuisance; j++) {
                u[i][j] += (float) (4 * random.nextGaussian());
                v[i][j] += (float) (4 * random.nextGaussian());
            }
            for (int j = nuisance; j < nuisance + topic; j++) {
                double t = random.nextGaussian();
                u[i][j] += (float) t;
                v[i][j] += (float) (rho * t + Math.sqrt(1 - rho * rho) * random.nextGaussian());
            }
        }
        float[][] all = new float[2 * n][];
        System.arraycopy(u, 0, all, 0, n);
        System.arraycopy(v, 0, all, n, n);

        double raw = Spearman.correlation(Anisotropy.cosines(u, v), gold);
        Whitening full = Whitening.fit(all, 0);
        double whitened = Spearman.correlation(Anisotropy.cosines(full.apply(u), full.apply(v)), gold);
        Whitening top = Whitening.fit(all, nuisance + topic);
        double truncated = Spearman.correlation(Anisotropy.cosines(top.apply(u), top.apply(v)), gold);
        // observed (seed 1): raw 0.160, full whitening 0.428, top-19 whitening 0.772
        assertTrue(raw < 0.25, "raw " + raw);
        assertTrue(whitened - raw > 0.20, "raw " + raw + " whitened " + whitened);
        assertTrue(truncated - raw > 0.50, "raw " + raw + " top-k whitened " + truncated);
        // the anisotropy diagnostic: random pairs look alike before (observed 0.937), not after (0.002)
        assertTrue(Anisotropy.meanRandomPairCosine(u, 2000, 7) > 0.9);
        assertEquals(0, Anisotropy.meanRandomPairCosine(full.apply(u), 2000, 7), 0.03);
    }
}
