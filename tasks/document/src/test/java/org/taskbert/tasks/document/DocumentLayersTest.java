package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.RandomWeights;

/** The document layers' forward pass against a plain-Java reference, and invariants that could fail. */
class DocumentLayersTest {

    static final DocumentLayers.Shape TOKEN = new DocumentLayers.Shape(4, 2, 6, 2, 5, false);
    static final DocumentLayers.Shape POOLED = new DocumentLayers.Shape(4, 2, 6, 1, 5, true);

    /** Builds the layers with random constants (std 0.5, LayerNorm gains and biases too), recording them in params. */
    static float[][] run(
            DocumentLayers.Shape shape,
            Map<String, INDArray> params,
            List<float[][]> docs,
            java.util.function.UnaryOperator<Map<String, INDArray>> editInputs) {
        SameDiff sd = SameDiff.create();
        SplittableRandom rnd = new SplittableRandom(5);
        SDVariable out = DocumentLayers.documentVectors(
                sd,
                (name, std, dims) -> sd.constant(name, params.computeIfAbsent(name, n -> {
                    var t = RandomWeights.normal(rnd.split(), 0.5, dims);
                    return Nd4j.create(t.data(), dims, 'c');
                })),
                shape);
        Map<String, INDArray> in =
                editInputs.apply(new HashMap<>(DocumentLayers.inputs(docs, shape.positions(), shape.hidden())));
        return sd.output(in, out.name()).get(out.name()).toFloatMatrix();
    }

    static float[][] doc(long seed, int sentences, int h) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] d = new float[sentences][h];
        for (float[] row : d) {
            for (int j = 0; j < h; j++) {
                row[j] = (float) (2 * rnd.nextDouble() - 1);
            }
        }
        return d;
    }

    @Test
    void theGraphEqualsThePlainJavaReferenceInAPaddedBatch() {
        for (DocumentLayers.Shape shape : List.of(TOKEN, POOLED)) {
            List<float[][]> docs = List.of(doc(1, 3, 4), doc(2, 1, 4), doc(3, 4, 4));
            Map<String, INDArray> params = new HashMap<>();
            float[][] got = run(shape, params, docs, m -> m);
            ReferenceDocumentLayers ref = new ReferenceDocumentLayers(params, shape);
            for (int d = 0; d < docs.size(); d++) {
                double[] want = ref.documentVector(docs.get(d));
                for (int j = 0; j < want.length; j++) {
                    assertEquals(want[j], got[d][j], 1e-5, shape + " doc " + d + " dim " + j);
                }
            }
        }
    }

    @Test
    void paddingRowsAndWhatTheyHoldDoNotChangeTheDocumentVector() {
        for (DocumentLayers.Shape shape : List.of(TOKEN, POOLED)) {
            Map<String, INDArray> params = new HashMap<>();
            float[] alone = run(shape, params, List.<float[][]>of(doc(1, 2, 4)), m -> m)[0];
            // Batched with a longer document, T = 5: rows 3 and 4 of the first document are padding, filled with junk.
            float[][] batched = run(shape, params, List.of(doc(1, 2, 4), doc(2, 4, 4)), m -> {
                INDArray s = m.get(DocumentLayers.SENTENCES).dup();
                s.getRow(3).assign(7.0);
                s.getRow(4).assign(-3.0);
                m.put(DocumentLayers.SENTENCES, s);
                return m;
            });
            for (int j = 0; j < 4; j++) {
                assertEquals(alone[j], batched[0][j], 1e-5, shape + " dim " + j);
            }
            // The junk is read when the mask lets it in: then the vector changes (the check above can fail).
            float[][] unmasked = run(shape, params, List.of(doc(1, 2, 4), doc(2, 4, 4)), m -> {
                INDArray s = m.get(DocumentLayers.SENTENCES).dup();
                s.getRow(3).assign(7.0);
                m.put(DocumentLayers.SENTENCES, s);
                m.put(
                        DocumentLayers.MASK,
                        Nd4j.ones(2, 5).castTo(m.get(DocumentLayers.MASK).dataType()));
                return m;
            });
            assertTrue(Math.abs(unmasked[0][0] - alone[0]) + Math.abs(unmasked[0][1] - alone[1]) > 1e-3);
        }
    }

    @Test
    void sentenceOrderMattersOnlyThroughThePositions() {
        float[][] d = doc(4, 3, 4);
        float[][] reversed = {d[2], d[1], d[0]};
        Map<String, INDArray> params = new HashMap<>();
        float[][] withPositions = run(TOKEN, params, List.of(d, reversed), m -> m);
        assertTrue(maxDiff(withPositions[0], withPositions[1]) > 1e-3, "positions make order count");
        params.put(
                "doc.position",
                Nd4j.zeros(TOKEN.positions(), 4)
                        .castTo(params.get("doc.position").dataType()));
        float[][] without = run(TOKEN, params, List.of(d, reversed), m -> m);
        assertTrue(maxDiff(without[0], without[1]) < 1e-5, "without positions the [DOC] output is order-free");
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
