package org.taskbert.spi.eval;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

/** Spearman's rank correlation with tied values given their average rank, as {@code scipy.stats.spearmanr} does. */
public final class Spearman {
    private Spearman() {}

    /**
     * The Pearson correlation of the average ranks of x and y. NaN if either is constant (as scipy gives). Fails with
     * {@link IllegalArgumentException} if the lengths differ, there are fewer than 2 points, or a value is NaN.
     */
    public static double correlation(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values, y has " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("Spearman correlation needs at least 2 points, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                throw new IllegalArgumentException((Double.isNaN(x[i]) ? "x[" : "y[") + i + "] is NaN");
            }
        }
        return new SpearmansCorrelation(new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE)).correlation(x, y);
    }
}
