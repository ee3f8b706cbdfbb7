package org.taskbert.tasks.document;

import java.util.Map;
import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The document layers in plain double-precision Java, one document at a time and without padding, straight from the
 * description: input LayerNorm of (sentence or [DOC] vector + position), post-LN attention and GELU feed-forward
 * layers, then the [DOC] row (or attention pooling over the sentence rows).
 */
final class ReferenceDocumentLayers {

    private final Map<String, INDArray> p;
    private final DocumentLayers.Shape s;

    ReferenceDocumentLayers(Map<String, INDArray> params, DocumentLayers.Shape shape) {
        this.p = params;
        this.s = shape;
    }

    double[] documentVector(float[][] sentences) {
        int t = sentences.length + 1;
        int h = s.hidden();
        double[][] x = new double[t][h];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < h; j++) {
                x[i][j] = (i == 0 ? w("doc.slot", 0, j) : sentences[i - 1][j]) + w("doc.position", i, j);
            }
        }
        x = layerNorm(x, "doc.input.LayerNorm");
        int heads = s.heads();
        int d = h / heads;
        for (int l = 0; l < s.layers(); l++) {
            String n = "doc.layer" + l + ".";
            double[][] q = dense(x, n + "query");
            double[][] k = dense(x, n + "key");
            double[][] v = dense(x, n + "value");
            double[][] ctx = new double[t][h];
            for (int hd = 0; hd < heads; hd++) {
                for (int i = 0; i < t; i++) {
                    double[] a = new double[t];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        for (int c = 0; c < d; c++) {
                            a[j] += q[i][hd * d + c] * k[j][hd * d + c] / Math.sqrt(d);
                        }
                        max = Math.max(max, a[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        a[j] = Math.exp(a[j] - max);
                        sum += a[j];
                    }
                    for (int j = 0; j < t; j++) {
                        for (int c = 0; c < d; c++) {
                            ctx[i][hd * d + c] += a[j] / sum * v[j][hd * d + c];
                        }
                    }
                }
            }
            x = layerNorm(add(dense(ctx, n + "attention.output"), x), n + "attention.LayerNorm");
            double[][] inner = dense(x, n + "intermediate");
            for (double[] row : inner) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = 0.5 * row[j] * (1 + Erf.erf(row[j] / Math.sqrt(2)));
                }
            }
            x = layerNorm(add(dense(inner, n + "output"), x), n + "output.LayerNorm");
        }
        if (!s.attentionPooling()) {
            return x[0];
        }
        double[] score = new double[t];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < t; i++) {
            for (int j = 0; j < h; j++) {
                score[i] += x[i][j] * w("doc.pooling.query", 0, j);
            }
            max = Math.max(max, score[i]);
        }
        double sum = 0;
        for (int i = 1; i < t; i++) {
            sum += Math.exp(score[i] - max);
        }
        double[] out = new double[h];
        for (int i = 1; i < t; i++) {
            for (int j = 0; j < h; j++) {
                out[j] += Math.exp(score[i] - max) / sum * x[i][j];
            }
        }
        return out;
    }

    private double w(String name, int row, int col) {
        return p.get(name).getDouble(row, col);
    }

    private double[][] dense(double[][] x, String prefix) {
        INDArray kernel = p.get(prefix + ".weight");
        int out = (int) kernel.size(1);
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double z = w(prefix + ".bias", 0, o);
                for (int k = 0; k < x[i].length; k++) {
                    z += x[i][k] * kernel.getDouble(k, o);
                }
                y[i][o] = z;
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String prefix) {
        double[][] y = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v / x[i].length;
            }
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean) / x[i].length;
            }
            for (int j = 0; j < x[i].length; j++) {
                y[i][j] = (x[i][j] - mean) / Math.sqrt(var + 1e-6) * (1 + w(prefix + ".weight", 0, j))
                        + w(prefix + ".bias", 0, j);
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] y = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                y[i][j] = a[i][j] + b[i][j];
            }
        }
        return y;
    }
}
