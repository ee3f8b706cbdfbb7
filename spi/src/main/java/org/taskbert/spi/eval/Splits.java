package org.taskbert.spi.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Seeded train/test index splits, plain and stratified, and row selection by index. */
public final class Splits {
    private Splits() {}

    /** {train, test} indices of 0..n−1, each sorted; the test part has round(n·testFraction) of them. */
    public static int[][] trainTest(int n, double testFraction, long seed) {
        checkFraction(testFraction);
        int[] perm = shuffled(range(0, n), new SplittableRandom(seed));
        int nTest = (int) Math.round(n * testFraction);
        checkBothParts(n, nTest, testFraction);
        return new int[][] {sorted(Arrays.copyOfRange(perm, nTest, n)), sorted(Arrays.copyOf(perm, nTest))};
    }

    /**
     * {train, test} indices, each sorted, where every class sends round(count·testFraction) of its members to test
     * but at most count − 1, so every class keeps a training example (a singleton class stays in train).
     */
    public static int[][] stratified(int[] labels, double testFraction, long seed) {
        checkFraction(testFraction);
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] train = new int[labels.length];
        int[] test = new int[labels.length];
        int nTrain = 0;
        int nTest = 0;
        for (List<Integer> members : byClass.values()) {
            int[] idx = shuffled(members.stream().mapToInt(Integer::intValue).toArray(), random);
            int toTest = (int) Math.min(Math.round(idx.length * testFraction), idx.length - 1);
            for (int m = 0; m < idx.length; m++) {
                if (m < toTest) {
                    test[nTest++] = idx[m];
                } else {
                    train[nTrain++] = idx[m];
                }
            }
        }
        checkBothParts(labels.length, nTest, testFraction);
        return new int[][] {sorted(Arrays.copyOf(train, nTrain)), sorted(Arrays.copyOf(test, nTest))};
    }

    /** The rows of x at idx (shared, not copied). */
    public static float[][] rows(float[][] x, int[] idx) {
        float[][] out = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = x[idx[i]];
        }
        return out;
    }

    /** The entries of y at idx. */
    public static int[] pick(int[] y, int[] idx) {
        return Arrays.stream(idx).map(i -> y[i]).toArray();
    }

    /** The entries of y at idx. */
    public static double[] pick(double[] y, int[] idx) {
        return Arrays.stream(idx).mapToDouble(i -> y[i]).toArray();
    }

    private static void checkFraction(double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1), got " + testFraction);
        }
    }

    private static void checkBothParts(int n, int nTest, double testFraction) {
        if (nTest < 1 || nTest > n - 1) {
            throw new IllegalArgumentException("sample too small: a " + testFraction + " test split of " + n
                    + " samples leaves " + (nTest < 1 ? "the test" : "the training") + " part empty");
        }
    }

    private static int[] range(int from, int to) {
        if (to < from) {
            throw new IllegalArgumentException("negative sample size " + to);
        }
        int[] out = new int[to - from];
        Arrays.setAll(out, i -> from + i);
        return out;
    }

    private static int[] shuffled(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    private static int[] sorted(int[] a) {
        Arrays.sort(a);
        return a;
    }
}
