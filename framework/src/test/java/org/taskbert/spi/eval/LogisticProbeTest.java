package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticProbeTest {
    private static final double[] GRID = {1e-4, 1e-3, 1e-2, 1e-1};

    private record Data(float[][] x, int[] y) {}

    /**
     * n rows of 64 dims: class c sits at angle 2πc/k on a circle of the given radius in a random 2-dim subspace,
     * under unit noise in every dim, sd-5 noise in 4 nuisance dims, and a common offset of 3.
     */
    private static Data topics(int n, int k, double radius, long seed) {
        int dim = 64;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] basis = new double[2][dim]; // Gram-Schmidt on two Gaussian vectors
        for (double[] b : basis) {
            for (int j = 0; j < dim; j++) {
                b[j] = random.nextGaussian();
            }
        }
        double dot = 0;
        for (int j = 0; j < dim; j++) {
            dot += basis[0][j] * basis[1][j] / norm2(basis[0]);
        }
        for (int j = 0; j < dim; j++) {
            basis[1][j] -= dot * basis[0][j];
        }
        for (double[] b : basis) {
            double norm = Math.sqrt(norm2(b));
            for (int j = 0; j < dim; j++) {
                b[j] /= norm;
            }
        }
        float[][] x = new float[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(k);
            double angle = 2 * Math.PI * y[i] / k;
            for (int j = 0; j < dim; j++) {
                double signal = radius * (Math.cos(angle) * basis[0][j] + Math.sin(angle) * basis[1][j]);
                x[i][j] = (float) (signal + random.nextGaussian() * (j < 4 ? 5 : 1) + 3);
            }
        }
        return new Data(x, y);
    }

    private static double norm2(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return s;
    }

    private static double heldOutAccuracy(Data data, int k, boolean shuffleLabels) {
        int[] y = data.y().clone();
        if (shuffleLabels) {
            SplittableRandom random = new SplittableRandom(99);
            for (int i = y.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = y[i];
                y[i] = y[j];
                y[j] = t;
            }
        }
        int[][] split = Splits.stratified(y, 0.25, 11);
        LogisticProbe probe = LogisticProbe.trainWithValidation(
                Splits.rows(data.x(), split[0]), Splits.pick(y, split[0]), k, GRID, 0.2, 12);
        return probe.accuracy(Splits.rows(data.x(), split[1]), Splits.pick(y, split[1]));
    }

    @Test
    void findsAPlantedTopicAndNotAShuffledOne() {
        Data data = topics(2000, 5, 4, 1);
        double accuracy = heldOutAccuracy(data, 5, false);
        double shuffled = heldOutAccuracy(data, 5, true);
        // observed: 0.962 and 0.222 (chance 0.2)
        assertTrue(accuracy > 0.9, "planted topic accuracy " + accuracy);
        assertTrue(shuffled < 0.35, "shuffled-label accuracy " + shuffled);
    }

    @Test
    void binaryProbe() {
        Data data = topics(1000, 2, 1.5, 2);
        double accuracy = heldOutAccuracy(data, 2, false);
        double shuffled = heldOutAccuracy(data, 2, true);
        // observed: 0.944 (Bayes ≈ Φ(1.5) = 0.933) and 0.520
        assertTrue(accuracy > 0.9, "binary accuracy " + accuracy);
        assertTrue(shuffled < 0.62, "shuffled-label accuracy " + shuffled);
    }

    @Test
    void sameSeedSameProbe() {
        Data data = topics(600, 5, 4, 3);
        LogisticProbe a = LogisticProbe.trainWithValidation(data.x(), data.y(), 5, GRID, 0.25, 42);
        LogisticProbe b = LogisticProbe.trainWithValidation(data.x(), data.y(), 5, GRID, 0.25, 42);
        assertEquals(a.l2(), b.l2());
        assertArrayEquals(a.predict(data.x()), b.predict(data.x()));
        assertTrue(java.util.Arrays.stream(GRID).anyMatch(l2 -> l2 == a.l2()));
    }

    @Test
    void separableTinyDataIsFitExactly() {
        float[][] x = {{0, 0}, {0, 1}, {5, 0}, {5, 1}, {10, 0}, {10, 1}};
        int[] y = {0, 0, 1, 1, 2, 2};
        assertArrayEquals(y, LogisticProbe.train(x, y, 3, 1e-3).predict(x));
        assertEquals(1.0, LogisticProbe.train(x, y, 3, 1e-3).accuracy(x, y));
    }

    @Test
    void rejectsBadInput() {
        float[][] x = {{0, 1}, {1, 0}};
        assertThrows(IllegalArgumentException.class, () -> LogisticProbe.train(x, new int[] {0, 2}, 2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LogisticProbe.train(x, new int[] {0}, 2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> LogisticProbe.train(x, new int[] {0, 1}, 2, -1));
        assertThrows(
                IllegalArgumentException.class,
                () -> LogisticProbe.train(x, new int[] {0, 1}, 2, 0.1).predict(new float[][] {{1, 2, 3}}));
    }
}
