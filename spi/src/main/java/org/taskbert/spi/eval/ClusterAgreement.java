package org.taskbert.spi.eval;

import java.util.HashMap;
import java.util.Map;

/** How well a clustering agrees with the true classes: adjusted Rand index and V-measure (as scikit-learn defines them). */
public final class ClusterAgreement {

    private ClusterAgreement() {}

    /**
     * Hubert and Arabie's adjusted Rand index: (index − expected) / (max − expected) over pairs of items, 1 for
     * identical partitions, about 0 for a random one. Two partitions that each put everything in one cluster (or
     * everything apart) score 1.
     */
    public static double adjustedRand(int[] classes, int[] clusters) {
        Contingency c = new Contingency(classes, clusters);
        double index = 0;
        for (long n : c.cells.values()) {
            index += pairs(n);
        }
        double a = 0;
        for (long n : c.rows.values()) {
            a += pairs(n);
        }
        double b = 0;
        for (long n : c.cols.values()) {
            b += pairs(n);
        }
        double expected = a * b / pairs(classes.length);
        double max = (a + b) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    /**
     * Rosenberg and Hirschberg's V-measure, the harmonic mean of homogeneity 1 − H(C|K)/H(C) and completeness
     * 1 − H(K|C)/H(K) (each 1 when its denominator is 0).
     */
    public static double vMeasure(int[] classes, int[] clusters) {
        Contingency c = new Contingency(classes, clusters);
        double n = classes.length;
        double hc = entropy(c.rows, n);
        double hk = entropy(c.cols, n);
        double hck = 0; // H(C|K)
        double hkc = 0; // H(K|C)
        for (Map.Entry<Long, Long> cell : c.cells.entrySet()) {
            double nij = cell.getValue();
            int ci = (int) (cell.getKey() >> 32);
            int kj = (int) (long) cell.getKey();
            hck -= nij / n * Math.log(nij / c.cols.get(kj));
            hkc -= nij / n * Math.log(nij / c.rows.get(ci));
        }
        double homogeneity = hc == 0 ? 1 : 1 - hck / hc;
        double completeness = hk == 0 ? 1 : 1 - hkc / hk;
        return homogeneity + completeness == 0 ? 0 : 2 * homogeneity * completeness / (homogeneity + completeness);
    }

    private static double pairs(long n) {
        return n * (n - 1) / 2.0;
    }

    private static double entropy(Map<Integer, Long> counts, double n) {
        double h = 0;
        for (long k : counts.values()) {
            h -= k / n * Math.log(k / n);
        }
        return h;
    }

    /** Counts by class, by cluster, and by (class, cluster). */
    private static final class Contingency {
        final Map<Integer, Long> rows = new HashMap<>();
        final Map<Integer, Long> cols = new HashMap<>();
        final Map<Long, Long> cells = new HashMap<>();

        Contingency(int[] classes, int[] clusters) {
            if (classes.length != clusters.length || classes.length < 2) {
                throw new IllegalArgumentException(
                        "need two labelings of the same ≥ 2 items, got " + classes.length + " and " + clusters.length);
            }
            for (int i = 0; i < classes.length; i++) {
                rows.merge(classes[i], 1L, Long::sum);
                cols.merge(clusters[i], 1L, Long::sum);
                cells.merge(((long) classes[i] << 32) | (clusters[i] & 0xffffffffL), 1L, Long::sum);
            }
        }
    }
}
