package org.taskbert.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.taskbert.spi.eval.Spearman;
import org.taskbert.spi.eval.Splits;

class RidgeProbeTest {

    /** x: n rows of dim features on scales 0.1..10 around an offset; y = w·x + 2 + noise·N(0, 1). */
    private static double[] linear(float[][] x, double[] w, double noise, SplittableRandom random) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 + noise * random.nextGaussian();
            for (int j = 0; j < w.length; j++) {
                x[i][j] = (float) (7 + random.nextGaussian() * Math.pow(10, (j % 3) - 1));
                y[i] += w[j] * x[i][j];
            }
        }
        return y;
    }

    @Test
    void recoversALinearTargetOnHeldOutData() {
        SplittableRandom random = new SplittableRandom(1);
        int dim = 50;
        double[] w = new double[dim];
        for (int j = 0; j < dim; j++) {
            w[j] = random.nextGaussian() / Math.pow(10, (j % 3) - 1); // every feature matters about equally
        }
        float[][] x = new float[1000][dim];
        double[] y = linear(x, w, 1.0, random);
        int[][] split = Splits.trainTest(x.length, 0.2, 2);
        RidgeProbe probe = RidgeProbe.trainWithValidation(
                Splits.rows(x, split[0]), Splits.pick(y, split[0]), new double[] {0.1, 1, 10, 100, 1000}, 0.2, 3);
        double rho = Spearman.correlation(probe.predict(Splits.rows(x, split[1])), Splits.pick(y, split[1]));
        // observed: 0.985, with λ = 10 chosen
        assertTrue(rho > 0.95, "held-out Spearman " + rho);
    }

    @Test
    void noiselessTargetGivesItsCoefficientsBack() {
        SplittableRandom random = new SplittableRandom(4);
        double[] w = {1.5, -2, 0.25};
        float[][] x = new float[200][3];
        double[] y = linear(x, w, 0, random);
        RidgeProbe probe = RidgeProbe.train(x, y, 1e-6);
        assertEquals(2 + 1.5, probe.predict(new float[][] {{1, 0, 0}})[0], 1e-3);
        assertEquals(2 - 2, probe.predict(new float[][] {{0, 1, 0}})[0], 1e-3);
        assertEquals(2, probe.predict(new float[][] {{0, 0, 0}})[0], 1e-3);
        assertEquals(1e-6, probe.lambda());
    }

    @Test
    void pairFeaturesAreProductThenAbsoluteDifference() {
        float[][] u = {{1, -2, 3}, {0, 0.5f, -1}};
        float[][] v = {{4, 5, -6}, {2, 0.5f, 1}};
        float[][] f = RidgeProbe.pairFeatures(u, v);
        assertEquals(2, f.length);
        assertArrayEquals(new float[] {4, -10, -18, 3, 7, 9}, f[0]);
        assertArrayEquals(new float[] {0, 0.25f, -1, 2, 0, 2}, f[1]);
        assertThrows(IllegalArgumentException.class, () -> RidgeProbe.pairFeatures(u, new float[][] {{1, 2, 3}}));
    }

    @Test
    void rejectsBadInput() {
        float[][] x = {{0, 1}, {1, 0}, {2, 2}};
        assertThrows(IllegalArgumentException.class, () -> RidgeProbe.train(x, new double[] {1, 2, 3}, 0));
        assertThrows(IllegalArgumentException.class, () -> RidgeProbe.train(x, new double[] {1, 2}, 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> RidgeProbe.train(x, new double[] {1, 2, 3}, 1).predict(new float[][] {{1}}));
    }
}
