package org.taskbert.encoder;

import org.taskbert.model.BertConfig;

/**
 * The encoder's non-GEMM steps and their derivatives, each one fused loop over arena rows on all cores: bias,
 * dropout and residual; LayerNorm; GELU; row softmax; column sums. Work is split into fixed row chunks and partial
 * sums are reduced in chunk order, so every result is the same from run to run (exact resume). Each is checked
 * against a double-precision reference in {@code KernelsTest}.
 */
final class Kernels {

    private static final int CHUNK = 1 << 14;
    /** Per-thread scratch rows, reused by every call (the loops allocate nothing per step). */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][CHUNK]);

    /** Scratch array {@code i} (0..2) of this thread, at least {@code n} long. */
    private static float[] scratch(int i, int n) {
        float[][] s = SCRATCH.get();
        if (s[i].length < n) {
            s[i] = new float[n];
        }
        return s[i];
    }

    private Kernels() {}

    private static int rowsPerTask(int cols) {
        return Math.max(1, CHUNK / Math.max(1, cols));
    }

    private static int tasks(int rows, int per) {
        return (rows + per - 1) / per;
    }

    /** a[r] += bias for each of {@code rows} rows of {@code cols}. */
    static void addBias(Arena a, long off, int rows, int cols, Arena p, long bias) {
        float[] b = new float[cols];
        p.read(bias, b, 0, cols);
        int per = rowsPerTask(cols);
        FusedOps.parallel(tasks(rows, per), c -> {
            int r0 = c * per;
            int len = (Math.min(rows, r0 + per) - r0) * cols;
            float[] v = scratch(0, len);
            a.read(off + (long) r0 * cols, v, 0, len);
            for (int i = 0; i < len; i++) {
                v[i] += b[i % cols];
            }
            a.write(off + (long) r0 * cols, v, 0, len);
        });
    }

    /** a = (a + bias) ∘ mask + residual, row by row ({@code mask} null: no dropout); mask rows match a's rows. */
    static void biasDropoutResidual(
            Arena a, long off, int rows, int cols, Arena p, long bias, float[] mask, Arena res, long resOff) {
        float[] b = new float[cols];
        p.read(bias, b, 0, cols);
        int per = rowsPerTask(cols);
        FusedOps.parallel(tasks(rows, per), c -> {
            int r0 = c * per;
            int len = (Math.min(rows, r0 + per) - r0) * cols;
            float[] v = scratch(0, len);
            float[] r = scratch(1, len);
            a.read(off + (long) r0 * cols, v, 0, len);
            res.read(resOff + (long) r0 * cols, r, 0, len);
            int m0 = r0 * cols;
            for (int i = 0; i < len; i++) {
                float x = v[i] + b[i % cols];
                v[i] = (mask == null ? x : x * mask[m0 + i]) + r[i];
            }
            a.write(off + (long) r0 * cols, v, 0, len);
        });
    }

    /** a ∘= mask over {@code n} values ({@code mask[maskOff..]}); nothing when mask is null. */
    static void mulMask(Arena a, long off, int n, float[] mask, int maskOff) {
        if (mask == null) {
            return;
        }
        FusedOps.parallel(tasks(n, CHUNK), c -> {
            int from = c * CHUNK;
            int len = Math.min(CHUNK, n - from);
            float[] v = scratch(0, len);
            a.read(off + from, v, 0, len);
            for (int i = 0; i < len; i++) {
                v[i] *= mask[maskOff + from + i];
            }
            a.write(off + from, v, 0, len);
        });
    }

    /**
     * LayerNorm of each row of {@code in} into {@code out} (may be the same place): out = x̂ · gain + bias with
     * x̂ = (x − mean) / √(var + eps). With {@code xhat} non-null, x̂ and 1/√(var + eps) per row are kept for the
     * backward pass.
     */
    static void layerNorm(
            Arena in,
            long inOff,
            Arena out,
            long outOff,
            Arena xhat,
            long xhatOff,
            long rstdOff,
            int rows,
            int h,
            Arena p,
            long gain,
            long bias,
            double eps) {
        float[] g = new float[h];
        float[] b = new float[h];
        p.read(gain, g, 0, h);
        p.read(bias, b, 0, h);
        int per = rowsPerTask(h);
        FusedOps.parallel(tasks(rows, per), c -> {
            int r0 = c * per;
            int nr = Math.min(rows, r0 + per) - r0;
            float[] v = scratch(0, nr * h);
            float[] rs = scratch(1, nr);
            in.read(inOff + (long) r0 * h, v, 0, nr * h);
            for (int r = 0; r < nr; r++) {
                int o = r * h;
                double sum = 0;
                for (int i = o; i < o + h; i++) {
                    sum += v[i];
                }
                float mean = (float) (sum / h);
                double sq = 0;
                for (int i = o; i < o + h; i++) {
                    float d = v[i] - mean;
                    sq += d * d;
                }
                float inv = (float) (1.0 / Math.sqrt(sq / h + eps));
                rs[r] = inv;
                for (int i = 0; i < h; i++) {
                    v[o + i] = (v[o + i] - mean) * inv;
                }
            }
            if (xhat != null) {
                xhat.write(xhatOff + (long) r0 * h, v, 0, nr * h);
                xhat.write(rstdOff + r0, rs, 0, nr);
            }
            for (int r = 0; r < nr; r++) {
                int o = r * h;
                for (int i = 0; i < h; i++) {
                    v[o + i] = v[o + i] * g[i] + b[i];
                }
            }
            out.write(outOff + (long) r0 * h, v, 0, nr * h);
        });
    }

    /**
     * LayerNorm's backward pass: from dy (the gradient of its output) and the kept x̂ and 1/σ, dx = (1/σ)·(dx̂ −
     * mean(dx̂) − x̂·mean(dx̂·x̂)) with dx̂ = dy·gain, written to {@code dx} (may be dy's place); with
     * {@code grads} non-null, adds Σ dy·x̂ to the gain's gradient and Σ dy to the bias's.
     */
    static void layerNormBackward(
            Arena dy,
            long dyOff,
            Arena xhat,
            long xhatOff,
            long rstdOff,
            int rows,
            int h,
            Arena p,
            long gain,
            Arena dx,
            long dxOff,
            Arena grads,
            long dGain,
            long dBias) {
        float[] g = new float[h];
        p.read(gain, g, 0, h);
        int per = rowsPerTask(h);
        int tasks = tasks(rows, per);
        float[][] partGain = new float[tasks][];
        float[][] partBias = new float[tasks][];
        FusedOps.parallel(tasks, c -> {
            int r0 = c * per;
            int nr = Math.min(rows, r0 + per) - r0;
            float[] d = scratch(0, nr * h);
            float[] x = scratch(1, nr * h);
            float[] rs = scratch(2, nr);
            dy.read(dyOff + (long) r0 * h, d, 0, nr * h);
            xhat.read(xhatOff + (long) r0 * h, x, 0, nr * h);
            xhat.read(rstdOff + r0, rs, 0, nr);
            float[] pg = new float[h];
            float[] pb = new float[h];
            for (int r = 0; r < nr; r++) {
                int o = r * h;
                double sumD = 0;
                double sumDX = 0;
                for (int i = 0; i < h; i++) {
                    float dyi = d[o + i];
                    pg[i] += dyi * x[o + i];
                    pb[i] += dyi;
                    float dxh = dyi * g[i];
                    sumD += dxh;
                    sumDX += dxh * x[o + i];
                }
                float meanD = (float) (sumD / h);
                float meanDX = (float) (sumDX / h);
                float inv = rs[r];
                for (int i = 0; i < h; i++) {
                    d[o + i] = inv * (d[o + i] * g[i] - meanD - x[o + i] * meanDX);
                }
            }
            dx.write(dxOff + (long) r0 * h, d, 0, nr * h);
            partGain[c] = pg;
            partBias[c] = pb;
        });
        if (grads != null) {
            addInOrder(grads, dGain, partGain, h);
            addInOrder(grads, dBias, partBias, h);
        }
    }

    /** dst += Σ over the rows of a [rows, cols] (a bias's gradient). */
    static void columnSums(Arena a, long off, int rows, int cols, Arena grads, long dst) {
        int per = Math.max(1, Math.max(rowsPerTask(cols), rows / 8));
        int tasks = tasks(rows, per);
        float[][] parts = new float[tasks][];
        FusedOps.parallel(tasks, c -> {
            int r0 = c * per;
            int nr = Math.min(rows, r0 + per) - r0;
            float[] v = scratch(0, nr * cols);
            a.read(off + (long) r0 * cols, v, 0, nr * cols);
            float[] s = new float[cols];
            for (int r = 0; r < nr; r++) {
                int o = r * cols;
                for (int i = 0; i < cols; i++) {
                    s[i] += v[o + i];
                }
            }
            parts[c] = s;
        });
        addInOrder(grads, dst, parts, cols);
    }

    private static void addInOrder(Arena grads, long dst, float[][] parts, int n) {
        float[] acc = new float[n];
        grads.read(dst, acc, 0, n);
        for (float[] part : parts) {
            for (int i = 0; i < n; i++) {
                acc[i] += part[i];
            }
        }
        grads.write(dst, acc, 0, n);
    }

    /** out = GELU(u) over n values, exact (erf) or BERT's tanh form as the config says. */
    static void gelu(Arena u, long uOff, Arena out, long outOff, int n, BertConfig.Activation act) {
        boolean exact = act == BertConfig.Activation.GELU;
        FusedOps.parallel(tasks(n, CHUNK), c -> {
            int from = c * CHUNK;
            int len = Math.min(CHUNK, n - from);
            float[] v = scratch(0, len);
            u.read(uOff + from, v, 0, len);
            for (int i = 0; i < len; i++) {
                float x = v[i];
                v[i] = exact
                        ? 0.5f * x * (1f + FusedOps.erf(x * 0.70710678f))
                        : 0.5f * x * (1f + (float) Math.tanh(0.7978845608 * (x + 0.044715 * x * x * x)));
            }
            out.write(outOff + from, v, 0, len);
        });
    }

    /** d ∘= GELU'(u) in place over n values: d holds dL/dGELU(u) and becomes dL/du. */
    static void geluBackward(Arena d, long dOff, Arena u, long uOff, int n, BertConfig.Activation act) {
        boolean exact = act == BertConfig.Activation.GELU;
        FusedOps.parallel(tasks(n, CHUNK), c -> {
            int from = c * CHUNK;
            int len = Math.min(CHUNK, n - from);
            float[] dv = scratch(0, len);
            float[] uv = scratch(1, len);
            d.read(dOff + from, dv, 0, len);
            u.read(uOff + from, uv, 0, len);
            for (int i = 0; i < len; i++) {
                float x = uv[i];
                float grad;
                if (exact) {
                    // Φ(x) + x·φ(x)
                    grad = 0.5f * (1f + FusedOps.erf(x * 0.70710678f))
                            + x * (float) (0.3989422804014327 * Math.exp(-0.5 * x * x));
                } else {
                    double k = 0.7978845608028654;
                    double t = Math.tanh(k * (x + 0.044715 * x * x * x));
                    grad = (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x));
                }
                dv[i] *= grad;
            }
            d.write(dOff + from, dv, 0, len);
        });
    }

    /** Softmax of each row of a row-major [rows, cols] block at {@code off}, in place, on the caller's thread. */
    static void softmaxRows(Arena a, long off, int rows, int cols, float[] scratch) {
        int len = rows * cols;
        a.read(off, scratch, 0, len);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = o; i < o + cols; i++) {
                max = Math.max(max, scratch[i]);
            }
            float sum = 0;
            for (int i = o; i < o + cols; i++) {
                float e = (float) Math.exp(scratch[i] - max);
                scratch[i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = o; i < o + cols; i++) {
                scratch[i] *= inv;
            }
        }
        a.write(off, scratch, 0, len);
    }
}
