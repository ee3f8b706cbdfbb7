package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;
import org.junit.jupiter.api.Test;

class SpearmanTest {

    @Test
    void matchesScipyWithTies() {
        // reference values from scipy.stats.spearmanr 1.17
        assertEquals(
                0.8207826816681233,
                Spearman.correlation(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}),
                1e-15);
        assertEquals(
                0.8705196492275475,
                Spearman.correlation(new double[] {1, 1, 2, 2, 3, 3, 4}, new double[] {2, 1, 4, 3, 3, 5, 6}),
                1e-15);
        assertEquals(
                0.8696565534786727,
                Spearman.correlation(
                        new double[] {3.5, 1.0, 2.0, 2.0, 0.5, 4.0}, new double[] {0.9, 0.1, 0.3, 0.35, 0.2, 0.8}),
                1e-15);
    }

    @Test
    void commonsMathRanksTiesByAverageByDefault() {
        assertEquals(TiesStrategy.AVERAGE, new NaturalRanking().getTiesStrategy());
    }

    @Test
    void monotoneRelationsArePerfect() {
        double[] x = {0.3, -2, 5, 1, 7.5};
        double[] cubes = new double[x.length];
        double[] negExp = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            cubes[i] = x[i] * x[i] * x[i];
            negExp[i] = -Math.exp(x[i]);
        }
        assertEquals(1.0, Spearman.correlation(x, cubes), 1e-15);
        assertEquals(-1.0, Spearman.correlation(x, negExp), 1e-15);
        assertEquals(1.0, Spearman.correlation(new double[] {1, 2}, new double[] {10, 20}), 1e-15);
        assertEquals(-1.0, Spearman.correlation(new double[] {1, 2}, new double[] {20, 10}), 1e-15);
    }

    @Test
    void constantInputGivesNaNAsScipyDoes() {
        assertTrue(Double.isNaN(Spearman.correlation(new double[] {1, 2, 3}, new double[] {4, 4, 4})));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(
                IllegalArgumentException.class,
                () -> Spearman.correlation(new double[] {1, 2, 3}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Spearman.correlation(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Spearman.correlation(new double[0], new double[0]));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Spearman.correlation(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}));
        assertEquals("y[1] is NaN", e.getMessage());
    }
}
