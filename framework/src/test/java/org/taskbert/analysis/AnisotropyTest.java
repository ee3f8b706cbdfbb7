package org.taskbert.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AnisotropyTest {

    private static float[][] gaussian(int n, int dim, double offset, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] x = new float[n][dim];
        for (float[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) (offset + random.nextGaussian());
            }
        }
        return x;
    }

    @Test
    void identicalVectorsHaveMeanCosineOne() {
        float[][] x = gaussian(50, 16, 0, 1);
        assertEquals(1.0, Anisotropy.meanCosine(x, x), 1e-12);
        float[][] negated = new float[50][16];
        for (int i = 0; i < 50; i++) {
            for (int j = 0; j < 16; j++) {
                negated[i][j] = -x[i][j];
            }
        }
        assertEquals(-1.0, Anisotropy.meanCosine(x, negated), 1e-12);
        assertArrayEquals(
                new double[] {0, 1},
                Anisotropy.cosines(new float[][] {{1, 0}, {2, 2}}, new float[][] {{0, 3}, {1, 1}}),
                1e-12);
    }

    @Test
    void randomPairsAreOrthogonalWhenIsotropicAndAlikeWithACommonOffset() {
        // 64 dims: random-pair cosines have sd 1/8, so the mean of 4000 is within ~0.002 of its expectation
        assertEquals(0, Anisotropy.meanRandomPairCosine(gaussian(500, 64, 0, 2), 4000, 3), 0.01);
        // offset 3 per dim: expected cosine ≈ 9 / (9 + 1) = 0.9
        assertEquals(0.9, Anisotropy.meanRandomPairCosine(gaussian(500, 64, 3, 4), 4000, 5), 0.01);
        float[][] twoRows = {{1, 0}, {0, 1}};
        assertEquals(0, Anisotropy.meanRandomPairCosine(twoRows, 100, 6), 0, "never pairs a row with itself");
        assertThrows(IllegalArgumentException.class, () -> Anisotropy.meanRandomPairCosine(new float[][] {{1}}, 5, 1));
    }

    @Test
    void histogramCountsEveryValueOnce() {
        double[] values = new SplittableRandom(7).doubles(1000, -1, 1).toArray();
        Anisotropy.Histogram h = Anisotropy.histogram(values, -1, 1, 20);
        assertEquals(1000, h.total());
        assertEquals(21, h.edges().length);
        assertEquals(-1, h.edges()[0]);
        assertEquals(1, h.edges()[20]);
        assertEquals(-0.9, h.edges()[1], 1e-15);
    }

    @Test
    void histogramEdgeValues() {
        Anisotropy.Histogram h = Anisotropy.histogram(new double[] {0, 0.25, 0.5, 1, 1.0000001, -3}, 0, 1, 4);
        // 0 and -3 (clamped) → bin 0; 0.25 → bin 1; 0.5 → bin 2; 1 and 1.0000001 (clamped) → last bin
        assertArrayEquals(new int[] {2, 1, 1, 2}, h.counts());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, h.edges());
        assertThrows(IllegalArgumentException.class, () -> Anisotropy.histogram(new double[] {Double.NaN}, 0, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Anisotropy.histogram(new double[] {0}, 1, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> Anisotropy.histogram(new double[] {0}, 0, 1, 0));
    }
}
