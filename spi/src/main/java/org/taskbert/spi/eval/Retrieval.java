package org.taskbert.spi.eval;

/** Document retrieval by cosine: how many of a document's nearest neighbours share its topic. */
public final class Retrieval {

    private Retrieval() {}

    /**
     * Mean over queries of the fraction of the k documents with the highest cosine to the query (the query itself
     * excluded; ties go to the earlier document) whose label equals the query's.
     */
    public static double precisionAtK(float[][] x, int[] labels, int k) {
        int n = x.length;
        if (n != labels.length || k < 1 || k > n - 1) {
            throw new IllegalArgumentException("precision@" + k + " needs more than " + k + " documents with labels,"
                    + " got " + n + " vectors and " + labels.length + " labels");
        }
        double[][] unit = new double[n][];
        for (int i = 0; i < n; i++) {
            unit[i] = normalised(x[i]);
        }
        double sum = 0;
        for (int q = 0; q < n; q++) {
            double[] sims = new double[n];
            for (int j = 0; j < n; j++) {
                sims[j] = j == q ? Double.NEGATIVE_INFINITY : dot(unit[q], unit[j]);
            }
            boolean[] taken = new boolean[n];
            int hits = 0;
            for (int r = 0; r < k; r++) {
                int best = -1;
                for (int j = 0; j < n; j++) {
                    if (j != q && !taken[j] && (best < 0 || sims[j] > sims[best])) {
                        best = j;
                    }
                }
                taken[best] = true;
                hits += labels[best] == labels[q] ? 1 : 0;
            }
            sum += (double) hits / k;
        }
        return sum / n;
    }

    public static double[] normalised(float[] v) {
        double sq = 0;
        for (float f : v) {
            sq += (double) f * f;
        }
        double inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
