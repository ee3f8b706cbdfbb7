package org.taskbert.spi.eval;

/**
 * Linear probe: multinomial logistic regression on z-scored features, trained full-batch with L-BFGS.
 *
 * <p>Objective: mean cross-entropy + {@code l2/2·|W|²} (the bias is not penalised), on features standardised with
 * the training mean and standard deviation; l2 is on the mean-loss scale (try 1e-4 to 1e-1). The standardisation is
 * folded into the weights, so x is never copied. Training is deterministic: full batch from zero weights.
 */
public final class LogisticProbe {
    private static final int MAX_ITERATIONS = 500;
    private static final double GRADIENT_TOLERANCE = 1e-5;

    private final int numClasses;
    private final double l2;
    private final double[] weights; // numClasses × dim, row-major, acting on raw x
    private final double[] bias;

    private LogisticProbe(int numClasses, double l2, double[] weights, double[] bias) {
        this.numClasses = numClasses;
        this.l2 = l2;
        this.weights = weights;
        this.bias = bias;
    }

    /** Trains on all of x with labels in [0, numClasses) and L2 strength {@code l2 ≥ 0}. */
    public static LogisticProbe train(float[][] x, int[] labels, int numClasses, double l2) {
        int d = Moments.dim(x);
        if (labels.length != x.length) {
            throw new IllegalArgumentException(x.length + " rows but " + labels.length + " labels");
        }
        if (numClasses < 2 || !(l2 >= 0)) {
            throw new IllegalArgumentException("need numClasses ≥ 2 and l2 ≥ 0, got " + numClasses + ", " + l2);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + labels[i] + " at " + i + " not in [0, " + numClasses + ")");
            }
        }
        double[] mu = Moments.mean(x);
        double[] sd = Moments.std(x, mu);
        int k = numClasses;
        double[] p = Lbfgs.minimize(
                (q, g) -> lossAndGradient(x, labels, k, mu, sd, l2, q, g),
                new double[(d + 1) * k],
                MAX_ITERATIONS,
                GRADIENT_TOLERANCE);
        double[] w = new double[d * k];
        double[] b = new double[k];
        fold(p, mu, sd, k, w, b);
        return new LogisticProbe(k, l2, w, b);
    }

    /**
     * Picks l2 from the grid by accuracy on a stratified held-out {@code validationFraction} of the training data
     * (ties go to the larger l2), then refits on all of x with it.
     */
    public static LogisticProbe trainWithValidation(
            float[][] x, int[] y, int numClasses, double[] l2Grid, double validationFraction, long seed) {
        if (l2Grid.length == 0) {
            throw new IllegalArgumentException("empty l2 grid");
        }
        int[][] split = Splits.stratified(y, validationFraction, seed);
        float[][] fitX = Splits.rows(x, split[0]);
        int[] fitY = Splits.pick(y, split[0]);
        float[][] valX = Splits.rows(x, split[1]);
        int[] valY = Splits.pick(y, split[1]);
        double best = Double.NaN;
        double bestAccuracy = -1;
        for (double l2 : l2Grid) {
            double accuracy = train(fitX, fitY, numClasses, l2).accuracy(valX, valY);
            if (accuracy > bestAccuracy || accuracy == bestAccuracy && l2 > best) {
                best = l2;
                bestAccuracy = accuracy;
            }
        }
        return train(x, y, numClasses, best);
    }

    /** The most probable class of each row. */
    public int[] predict(float[][] x) {
        if (Moments.dim(x) * numClasses != weights.length) {
            throw new IllegalArgumentException(
                    "trained on " + weights.length / numClasses + " dims, got " + x[0].length);
        }
        int[] out = new int[x.length];
        double[] logits = new double[numClasses];
        for (int i = 0; i < x.length; i++) {
            logits(x[i], weights, bias, logits);
            for (int c = 1; c < numClasses; c++) {
                if (logits[c] > logits[out[i]]) {
                    out[i] = c;
                }
            }
        }
        return out;
    }

    /** Fraction of rows whose predicted class equals y. */
    public double accuracy(float[][] x, int[] y) {
        int[] predicted = predict(x);
        if (y.length != predicted.length) {
            throw new IllegalArgumentException(x.length + " rows but " + y.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += predicted[i] == y[i] ? 1 : 0;
        }
        return (double) correct / y.length;
    }

    /** The L2 strength this probe was trained with (the chosen one, after {@link #trainWithValidation}). */
    public double l2() {
        return l2;
    }

    /** Turns standardised-space params [W; b] into raw-space weights: {@code w = W/σ}, {@code b' = b − μ·w}. */
    private static void fold(double[] p, double[] mu, double[] sd, int k, double[] w, double[] b) {
        System.arraycopy(p, mu.length * k, b, 0, k);
        int d = mu.length;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                w[c * d + j] = p[c * d + j] / sd[j];
                b[c] -= mu[j] * w[c * d + j];
            }
        }
    }

    private static void logits(float[] row, double[] w, double[] b, double[] out) {
        int d = row.length;
        for (int c = 0; c < b.length; c++) {
            double sum = b[c];
            for (int j = 0; j < d; j++) {
                sum += row[j] * w[c * d + j];
            }
            out[c] = sum;
        }
    }

    /** The objective at params p = [W (k × dim, standardised space); b (k)], writing its gradient into grad. */
    private static double lossAndGradient(
            float[][] x, int[] y, int k, double[] mu, double[] sd, double l2, double[] p, double[] grad) {
        int d = mu.length;
        int n = x.length;
        double[] w = new double[d * k];
        double[] b = new double[k];
        fold(p, mu, sd, k, w, b);
        double[] xr = new double[k * d]; // Σ_i x_ij r_ic with r = softmax − onehot
        double[] rSum = new double[k];
        double[] z = new double[k];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            logits(x[i], w, b, z);
            double max = z[0];
            for (int c = 1; c < k; c++) {
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            double logSumExp = max + Math.log(sum);
            loss += logSumExp - z[y[i]];
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - logSumExp) - (c == y[i] ? 1 : 0);
                rSum[c] += z[c];
            }
            float[] row = x[i];
            for (int c = 0; c < k; c++) {
                double rc = z[c];
                for (int j = 0; j < d; j++) {
                    xr[c * d + j] += rc * row[j];
                }
            }
        }
        double penalty = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) { // Σ_i z_ij r_ic = (Σ_i x_ij r_ic − μ_j Σ_i r_ic) / σ_j
                double wcj = p[c * d + j];
                grad[c * d + j] = (xr[c * d + j] - mu[j] * rSum[c]) / (sd[j] * n) + l2 * wcj;
                penalty += wcj * wcj;
            }
        }
        for (int c = 0; c < k; c++) {
            grad[d * k + c] = rSum[c] / n;
        }
        return loss / n + l2 / 2 * penalty;
    }
}
