package org.taskbert.analysis;

import java.util.SplittableRandom;
import org.taskbert.spi.eval.Cosine;

/** How cosine behaves on a set of vectors: paired cosines, random-pair cosines, and their histograms. */
public final class Anisotropy {
    private Anisotropy() {}

    /** A histogram: {@code edges} has bins + 1 increasing values, {@code counts[i]} counts [edges[i], edges[i+1]). */
    public record Histogram(double[] edges, int[] counts) {
        /** Sum of the counts: every value given to {@link Anisotropy#histogram}. */
        public long total() {
            long sum = 0;
            for (int c : counts) {
                sum += c;
            }
            return sum;
        }
    }

    /** Cosine of row i of a with row i of b (0 where either is all zeros). */
    public static double[] cosines(float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(a.length + " rows in a, " + b.length + " in b");
        }
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Cosine.cosine(a[i], b[i]);
        }
        return out;
    }

    /** Mean of {@link #cosines}: how alike paired rows look to cosine. */
    public static double meanCosine(float[][] a, float[][] b) {
        if (a.length == 0) {
            throw new IllegalArgumentException("no rows");
        }
        double sum = 0;
        for (double c : cosines(a, b)) {
            sum += c;
        }
        return sum / a.length;
    }

    /** Mean cosine of {@code pairs} uniformly drawn pairs of distinct rows: ~0 for isotropic vectors. */
    public static double meanRandomPairCosine(float[][] x, int pairs, long seed) {
        if (x.length < 2 || pairs < 1) {
            throw new IllegalArgumentException("need ≥ 2 rows and ≥ 1 pair, got " + x.length + " and " + pairs);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double sum = 0;
        for (int p = 0; p < pairs; p++) {
            int i = random.nextInt(x.length);
            int j = random.nextInt(x.length - 1);
            sum += Cosine.cosine(x[i], x[j >= i ? j + 1 : j]);
        }
        return sum / pairs;
    }

    /**
     * Equal-width bins over [min, max]; max itself goes in the last bin, and values outside the range are clamped
     * into the end bins (so cosines that round past ±1 are still counted). NaN fails.
     */
    public static Histogram histogram(double[] values, double min, double max, int bins) {
        if (bins < 1 || !(min < max) || Double.isInfinite(max - min)) {
            throw new IllegalArgumentException(
                    "need bins ≥ 1 and finite min < max, got " + bins + ", [" + min + ", " + max + "]");
        }
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = i == bins ? max : min + (max - min) * i / bins;
        }
        int[] counts = new int[bins];
        for (double v : values) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("NaN value in histogram");
            }
            int bin = (int) Math.floor((v - min) / (max - min) * bins);
            counts[Math.max(0, Math.min(bins - 1, bin))]++;
        }
        return new Histogram(edges, counts);
    }
}
