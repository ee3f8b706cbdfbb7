package org.taskbert.spi.eval;

/**
 * Accuracy and macro-F1 from a confusion matrix ({@code confusion[gold][predicted]}).
 *
 * <p>Macro-F1 is the mean of the per-class F1 = 2·TP / (2·TP + FP + FN) over the classes that occur as gold or as
 * predicted label (a class never predicted but present counts F1 = 0), as scikit-learn's
 * {@code f1_score(average="macro")} computes it.
 */
public record ClassificationMetrics(int[][] confusion) {

    public static ClassificationMetrics of(int[] gold, int[] predicted, int classes) {
        if (gold.length != predicted.length) {
            throw new IllegalArgumentException(gold.length + " gold labels but " + predicted.length + " predictions");
        }
        int[][] m = new int[classes][classes];
        for (int i = 0; i < gold.length; i++) {
            m[gold[i]][predicted[i]]++;
        }
        return new ClassificationMetrics(m);
    }

    public int total() {
        int n = 0;
        for (int[] row : confusion) {
            for (int x : row) {
                n += x;
            }
        }
        return n;
    }

    /** The fraction predicted right (NaN without examples). */
    public double accuracy() {
        int right = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
        }
        return total() == 0 ? Double.NaN : (double) right / total();
    }

    /** The class's F1, or NaN if it occurs neither as gold nor as prediction. */
    public double f1(int c) {
        int tp = confusion[c][c];
        int fp = 0;
        int fn = 0;
        for (int k = 0; k < confusion.length; k++) {
            if (k != c) {
                fp += confusion[k][c];
                fn += confusion[c][k];
            }
        }
        return tp + fp + fn == 0 ? Double.NaN : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** The mean F1 over the classes that occur (NaN without examples). */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < confusion.length; c++) {
            double f = f1(c);
            if (!Double.isNaN(f)) {
                sum += f;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
