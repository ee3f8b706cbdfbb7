package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.BertConfig;
import org.taskbert.spi.Pooling;

/**
 * The head graph's encoder inputs: SameDiff returns the loss's gradient with respect to a pooling placeholder even
 * for a head without parameters of its own (the case M2.1 skips unless the anchor is there), and it is the exact one.
 */
class HeadInputsTest {

    @Test
    void theGradientOfAParameterFreeHeadWithRespectToAPoolingIsExact() {
        BertConfig c = BertConfig.of(50, 4, 1, 2, 8, 16, 2);
        SameDiff sd = SameDiff.create();
        HeadInputs in = new HeadInputs(sd, c);
        float[] r = {0.5f, -1f, 2f, 0.25f, 1f, 1f, -0.5f, 3f};
        SDVariable loss =
                sd.sum(sd.math.tanh(in.pool(Pooling.MEAN)).mul(sd.constant(Nd4j.create(r, new long[] {2, 4}, 'c'))));
        sd.setLossVariables(loss);
        float[] x = {0.1f, -0.2f, 0.3f, 0.9f, -1.5f, 0.05f, 0.7f, -0.3f};
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(HeadInputs.poolName(Pooling.MEAN), Nd4j.create(x, new long[] {2, 4}, 'c'));
        List<String> wanted = new java.util.ArrayList<>(in.names());
        wanted.add(HeadInputs.ANCHOR);
        Map<String, INDArray> grads = sd.calculateGradientsAndOutputs(ph, List.of(loss.name()), wanted)
                .getGradients();
        float[] g = in.poolGradients(grads).get(Pooling.MEAN);
        for (int i = 0; i < x.length; i++) {
            double t = Math.tanh(x[i]);
            assertEquals(r[i] * (1 - t * t), g[i], 1e-6, "element " + i);
        }
    }
}
