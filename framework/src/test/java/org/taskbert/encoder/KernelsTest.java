package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.taskbert.model.BertConfig;

/** The encoder's fused loops against plain double-precision formulas, on shapes that span several chunks. */
class KernelsTest {

    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (2 * r.nextGaussian());
        }
        return v;
    }

    private static Arena arena(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        Arena a = new Arena(n);
        int off = 0;
        for (float[] p : parts) {
            a.write(off, p, 0, p.length);
            off += p.length;
        }
        return a;
    }

    @Test
    void layerNormForwardAndBackward() {
        int rows = 37;
        int h = 768;
        float[] x = random(rows * h, 1);
        float[] gain = random(h, 2);
        float[] bias = random(h, 3);
        float[] dy = random(rows * h, 4);
        int n = rows * h;
        // layout: x | out | xhat | rstd | gain | bias | dy | dx | dGain | dBias
        Arena a = arena(
                x,
                new float[n],
                new float[n],
                new float[rows],
                gain,
                bias,
                dy,
                new float[n],
                new float[h],
                new float[h]);
        long out = n;
        long xhat = 2L * n;
        long rstd = 3L * n;
        long g = rstd + rows;
        long b = g + h;
        long d = b + h;
        long dx = d + n;
        long dg = dx + n;
        long db = dg + h;
        Kernels.layerNorm(a, 0, a, out, a, xhat, rstd, rows, h, a, g, b, 1e-12);
        Kernels.layerNormBackward(a, d, a, xhat, rstd, rows, h, a, g, a, dx, a, dg, db);
        double[] wantDg = new double[h];
        double[] wantDb = new double[h];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int i = 0; i < h; i++) {
                mean += x[r * h + i];
            }
            mean /= h;
            double var = 0;
            for (int i = 0; i < h; i++) {
                var += (x[r * h + i] - mean) * (x[r * h + i] - mean);
            }
            double inv = 1 / Math.sqrt(var / h + 1e-12);
            double[] xh = new double[h];
            double sumD = 0;
            double sumDX = 0;
            for (int i = 0; i < h; i++) {
                xh[i] = (x[r * h + i] - mean) * inv;
                assertEquals(xh[i] * gain[i] + bias[i], a.get(out + r * h + i), 1e-4, "out");
                double dxh = dy[r * h + i] * gain[i];
                sumD += dxh;
                sumDX += dxh * xh[i];
                wantDg[i] += dy[r * h + i] * xh[i];
                wantDb[i] += dy[r * h + i];
            }
            for (int i = 0; i < h; i++) {
                double want = inv * (dy[r * h + i] * gain[i] - sumD / h - xh[i] * sumDX / h);
                assertEquals(want, a.get(dx + r * h + i), 1e-4 * Math.max(1, Math.abs(want)), "dx");
            }
        }
        for (int i = 0; i < h; i++) {
            assertEquals(wantDg[i], a.get(dg + i), 1e-3, "dGain");
            assertEquals(wantDb[i], a.get(db + i), 1e-3, "dBias");
        }
    }

    @Test
    void geluAndItsDerivativeBothForms() {
        int n = 50_000;
        float[] u = random(n, 7);
        float[] dg = random(n, 8);
        for (BertConfig.Activation act : BertConfig.Activation.values()) {
            Arena a = arena(u, new float[n], dg);
            Kernels.gelu(a, 0, a, n, n, act);
            Kernels.geluBackward(a, 2L * n, a, 0, n, act);
            for (int i = 0; i < n; i += 7) {
                double x = u[i];
                double h = 1e-4;
                double want = gelu(x, act);
                assertEquals(want, a.get(n + i), 2e-6 * Math.max(1, Math.abs(want)), act + " at " + x);
                double slope = (gelu(x + h, act) - gelu(x - h, act)) / (2 * h);
                assertEquals(dg[i] * slope, a.get(2L * n + i), 1e-4 * Math.max(1, Math.abs(dg[i])), act + "' at " + x);
            }
        }
    }

    private static double gelu(double x, BertConfig.Activation act) {
        return act == BertConfig.Activation.GELU
                ? 0.5 * x * (1 + org.apache.commons.math3.special.Erf.erf(x / Math.sqrt(2)))
                : 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    @Test
    void columnSumsBiasDropoutResidualAndSoftmax() {
        int rows = 300;
        int cols = 3072;
        float[] x = random(rows * cols, 11);
        Arena a = arena(x, new float[cols]);
        Kernels.columnSums(a, 0, rows, cols, a, (long) rows * cols);
        for (int c = 0; c < cols; c += 97) {
            double want = 0;
            for (int r = 0; r < rows; r++) {
                want += x[r * cols + c];
            }
            assertEquals(want, a.get((long) rows * cols + c), 1e-3, "column " + c);
        }
        int h = 64;
        float[] y = random(rows * h, 12);
        float[] bias = random(h, 13);
        float[] res = random(rows * h, 14);
        float[] mask = new float[rows * h];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i % 3 == 0 ? 0f : 1.25f;
        }
        Arena b = arena(y, bias, res);
        Kernels.biasDropoutResidual(b, 0, rows, h, b, rows * h, mask, b, rows * h + h);
        for (int i = 0; i < rows * h; i += 13) {
            assertEquals((y[i] + bias[i % h]) * mask[i] + res[i], b.get(i), 1e-5);
        }
        int len = 9;
        float[] s = random(len * len, 15);
        Arena c = arena(s);
        Kernels.softmaxRows(c, 0, len, len, new float[len * len]);
        for (int r = 0; r < len; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                max = Math.max(max, s[r * len + j]);
            }
            double sum = 0;
            for (int j = 0; j < len; j++) {
                sum += Math.exp(s[r * len + j] - max);
            }
            for (int j = 0; j < len; j++) {
                assertEquals(Math.exp(s[r * len + j] - max) / sum, c.get(r * len + j), 1e-6);
            }
        }
    }
}
