package org.taskbert.spi.eval;

/** Column means, standard deviations and Gram matrices of float rows, accumulated in double. */
public final class Moments {
    private Moments() {}

    /** The common row length; fails if there are no rows, a row has no columns, or rows differ in length. */
    public static int dim(float[][] x) {
        if (x.length == 0 || x[0].length == 0) {
            throw new IllegalArgumentException(
                    "need at least one row with at least one column, got " + x.length + " rows");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != x[0].length) {
                throw new IllegalArgumentException(
                        "row " + i + " has " + x[i].length + " columns, row 0 has " + x[0].length);
            }
        }
        return x[0].length;
    }

    public static double[] mean(float[][] x) {
        double[] mean = new double[dim(x)];
        for (float[] row : x) {
            for (int j = 0; j < mean.length; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < mean.length; j++) {
            mean[j] /= x.length;
        }
        return mean;
    }

    /** Population standard deviation per column; a constant column gets 1 so that it standardises to 0, not NaN. */
    public static double[] std(float[][] x, double[] mean) {
        double[] var = new double[mean.length];
        for (float[] row : x) {
            for (int j = 0; j < var.length; j++) {
                double c = row[j] - mean[j];
                var[j] += c * c;
            }
        }
        for (int j = 0; j < var.length; j++) {
            double sd = Math.sqrt(var[j] / x.length);
            var[j] = sd > 1e-12 * (1 + Math.abs(mean[j])) ? sd : 1;
        }
        return var;
    }

    /** {@code Σ_i z_i z_iᵀ} with {@code z_i = (x_i − shift) / scale}, as a full symmetric dim×dim matrix. */
    public static double[][] gram(float[][] x, double[] shift, double[] scale) {
        int d = shift.length;
        double[][] g = new double[d][d];
        int block = 64; // rows per pass: g[a] stays in L1 while the block's rows stream past it
        double[][] z = new double[block][d];
        for (int i0 = 0; i0 < x.length; i0 += block) {
            int m = Math.min(block, x.length - i0);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < d; j++) {
                    z[r][j] = (x[i0 + r][j] - shift[j]) / scale[j];
                }
            }
            for (int a = 0; a < d; a++) {
                double[] ga = g[a];
                for (int r = 0; r < m; r++) {
                    double[] zr = z[r];
                    double za = zr[a];
                    for (int b = a; b < d; b++) {
                        ga[b] += za * zr[b];
                    }
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                g[a][b] = g[b][a];
            }
        }
        return g;
    }
}
