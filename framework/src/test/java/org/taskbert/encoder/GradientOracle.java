package org.taskbert.encoder;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;

/**
 * The SameDiff whole-graph BERT ({@link BertGraph}) as the oracle of {@link Bert}'s gradients: the same batch, the
 * same dropout masks (moved from the packed layout to the graph's padded placeholders), SameDiff's automatic
 * differentiation of every trained weight, in checkpoint layout.
 */
public final class GradientOracle {

    private GradientOracle() {}

    /**
     * The oracle's loss and the gradients of every weight {@code trainable} accepts; {@code loss} builds the head over
     * the graph. The word table is read by a one-hot product, so its gradient is exact for any vocabulary.
     */
    public static Map<String, INDArray> gradients(
            BertWeights w,
            Predicate<String> trainable,
            Map<String, INDArray> ph,
            Dropout drop,
            double dropout,
            Tokens tokens,
            Function<BertGraph, SDVariable> loss) {
        SameDiff sd = SameDiff.create();
        BertGraph g = BertGraph.buildOneHotWords(sd, w, trainable, drop == Dropout.NONE ? 0 : dropout);
        sd.setLossVariables(loss.apply(g));
        Map<String, INDArray> in = new HashMap<>(ph);
        in.putAll(paddedMasks(drop, tokens, w.config()));
        in.keySet().removeIf(name -> !sd.hasVariable(name));
        java.util.List<String> names = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name)
                .toList();
        Map<String, INDArray> grads = sd.calculateGradients(in, names);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : names) {
            INDArray gr = grads.get(name);
            out.put(name, BertGraph.isDenseKernel(name) ? gr.transpose().dup('c') : gr);
        }
        return out;
    }

    /** The packed masks of {@code drop} as the graph's padded placeholders ([B·T, H] and [B, heads, T, T]). */
    public static Map<String, INDArray> paddedMasks(Dropout drop, Tokens t, BertConfig c) {
        Map<String, INDArray> out = new HashMap<>();
        if (drop == Dropout.NONE) {
            return out;
        }
        int b = t.sequences();
        int time = t.paddedTime();
        int h = c.hiddenSize();
        int heads = c.numHeads();
        out.put(BertGraph.dropoutName("embeddings"), tokenMask(drop.site(0), t, b * time, h));
        for (int l = 0; l < c.numLayers(); l++) {
            String prefix = BertWeights.layer(l, "");
            out.put(
                    BertGraph.dropoutName(prefix + "attention.output"),
                    tokenMask(drop.site(Dropout.attentionOutputSite(l)), t, b * time, h));
            out.put(
                    BertGraph.dropoutName(prefix + "output"),
                    tokenMask(drop.site(Dropout.outputSite(l)), t, b * time, h));
            float[] packed = drop.site(Dropout.probsSite(l));
            float[] padded = new float[b * heads * time * time];
            java.util.Arrays.fill(padded, 1f);
            long off = 0;
            for (int s = 0; s < b; s++) {
                int len = t.length(s);
                for (int hd = 0; hd < heads; hd++) {
                    for (int i = 0; i < len; i++) {
                        for (int j = 0; j < len; j++) {
                            padded[((s * heads + hd) * time + i) * time + j] = packed[(int) off++];
                        }
                    }
                }
            }
            out.put(
                    BertGraph.dropoutName(prefix + "attention.probs"),
                    Nd4j.create(padded, new long[] {b, heads, time, time}, 'c'));
        }
        return out;
    }

    private static INDArray tokenMask(float[] packed, Tokens t, int rows, int h) {
        float[] padded = new float[rows * h];
        java.util.Arrays.fill(padded, 1f);
        for (int i = 0; i < t.count(); i++) {
            System.arraycopy(packed, i * h, padded, t.paddedRows()[i] * h, h);
        }
        return Nd4j.create(padded, new long[] {rows, h}, 'c');
    }

    /** max |got − want| / max |want|: the relative error in the max norm. */
    public static double relativeError(INDArray got, INDArray want) {
        double scale = want.amaxNumber().doubleValue();
        double err = got.castTo(DataType.DOUBLE)
                .sub(want.castTo(DataType.DOUBLE))
                .amaxNumber()
                .doubleValue();
        return scale == 0 ? err : err / scale;
    }

    /** Our gradients, keyed like the oracle's: the dense views, and the word table's sparse rows as a dense table. */
    public static Map<String, INDArray> ours(Bert bert) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        bert.gradients().forEach((k, v) -> out.put(k, v.dup('c')));
        WordGradient wg = bert.wordGradient();
        if (wg != null) {
            BertConfig c = bert.config();
            INDArray table = Nd4j.zeros(DataType.FLOAT, c.vocabSize(), c.hiddenSize());
            int[] ids = wg.ids();
            for (int i = 0; i < ids.length; i++) {
                table.putRow(ids[i], wg.rows().getRow(i));
            }
            out.put(WordGradient.NAME, table);
        }
        return out;
    }
}
