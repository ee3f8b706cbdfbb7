package org.taskbert.encoder;

import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.Tensor;
import org.taskbert.spi.Pooling;

/**
 * BERT in plain double-precision loops, one unpadded sequence at a time: the independent
 * yardstick the SameDiff graph is tested against on tiny random models.
 */
final class NaiveBert {

    private final BertWeights w;
    private final BertConfig c;

    NaiveBert(BertWeights w) {
        this.w = w;
        this.c = w.config();
    }

    /** Hidden states of every layer: [layer 0..L][token][dim]. */
    double[][][] hidden(int[] ids, int[] types) {
        int t = ids.length;
        int h = c.hiddenSize();
        double[][][] out = new double[c.numLayers() + 1][][];
        double[][] x = new double[t][h];
        for (int i = 0; i < t; i++) {
            for (int d = 0; d < h; d++) {
                x[i][d] = get("embeddings.word_embeddings.weight", ids[i], d)
                        + get("embeddings.position_embeddings.weight", i, d)
                        + get("embeddings.token_type_embeddings.weight", types[i], d);
            }
        }
        x = layerNorm(x, "embeddings.LayerNorm");
        out[0] = x;
        int nh = c.numHeads();
        int hd = c.headSize();
        for (int l = 0; l < c.numLayers(); l++) {
            String p = BertWeights.layer(l, "");
            double[][] q = dense(x, p + "attention.self.query");
            double[][] k = dense(x, p + "attention.self.key");
            double[][] v = dense(x, p + "attention.self.value");
            double[][] ctx = new double[t][h];
            for (int head = 0; head < nh; head++) {
                for (int i = 0; i < t; i++) {
                    double[] s = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        double dot = 0;
                        for (int d = 0; d < hd; d++) {
                            dot += q[i][head * hd + d] * k[j][head * hd + d];
                        }
                        s[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int j = 0; j < t; j++) {
                        for (int d = 0; d < hd; d++) {
                            ctx[i][head * hd + d] += s[j] / sum * v[j][head * hd + d];
                        }
                    }
                }
            }
            x = layerNorm(add(dense(ctx, p + "attention.output.dense"), x), p + "attention.output.LayerNorm");
            double[][] inner = dense(x, p + "intermediate.dense");
            for (double[] row : inner) {
                for (int d = 0; d < row.length; d++) {
                    row[d] = gelu(row[d]);
                }
            }
            x = layerNorm(add(dense(inner, p + "output.dense"), x), p + "output.LayerNorm");
            out[l + 1] = x;
        }
        return out;
    }

    double[] pool(Pooling pooling, int[] ids) {
        double[][][] hs = hidden(ids, new int[ids.length]);
        double[][] last = hs[c.numLayers()];
        int h = c.hiddenSize();
        double[] v = new double[h];
        switch (pooling) {
            case CLS -> v = last[0].clone();
            case PROMPT -> v = last[ids.length - 3].clone(); // the template's [MASK]: [MASK] . [SEP]
            case POOLER -> {
                double[][] p = dense(new double[][] {last[0]}, "pooler.dense");
                for (int d = 0; d < h; d++) {
                    v[d] = Math.tanh(p[0][d]);
                }
            }
            case POOLER_LINEAR -> v = dense(new double[][] {last[0]}, "pooler.dense")[0];
            case MEAN, FIRST_LAST_AVG, MAX -> {
                java.util.Arrays.fill(v, pooling == Pooling.MAX ? Double.NEGATIVE_INFINITY : 0);
                for (int i = 0; i < ids.length; i++) {
                    for (int d = 0; d < h; d++) {
                        double x = pooling == Pooling.FIRST_LAST_AVG ? (hs[1][i][d] + last[i][d]) / 2 : last[i][d];
                        v[d] = pooling == Pooling.MAX ? Math.max(v[d], x) : v[d] + x / ids.length;
                    }
                }
            }
            default -> throw new IllegalArgumentException(pooling.id());
        }
        return v;
    }

    private double gelu(double x) {
        if (c.hiddenAct() == BertConfig.Activation.GELU) {
            return 0.5 * x * (1 + org.apache.commons.math3.special.Erf.erf(x / Math.sqrt(2)));
        }
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    private double get(String name, int row, int col) {
        Tensor t = w.require(name);
        return t.data()[(int) (row * t.shape()[1] + col)];
    }

    /** y = x·Wᵀ + b with W stored [out, in] as in the checkpoint. */
    private double[][] dense(double[][] x, String prefix) {
        Tensor wt = w.require(prefix + ".weight");
        Tensor b = w.require(prefix + ".bias");
        int out = (int) wt.shape()[0];
        int in = (int) wt.shape()[1];
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = b.data()[o];
                for (int k = 0; k < in; k++) {
                    s += x[i][k] * wt.data()[o * in + k];
                }
                y[i][o] = s;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        Tensor g = w.require(prefix + ".weight");
        Tensor b = w.require(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v / x[i].length;
            }
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean) / x[i].length;
            }
            y[i] = new double[x[i].length];
            for (int d = 0; d < x[i].length; d++) {
                y[i][d] = (x[i][d] - mean) / Math.sqrt(var + c.layerNormEps()) * g.data()[d] + b.data()[d];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int d = 0; d < a[i].length; d++) {
                y[i][d] = a[i][d] + b[i][d];
            }
        }
        return y;
    }
}
