package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.RandomWeights;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * Both encoders, the SameDiff graph and the plain-array inference path, against {@link NaiveBert} on tiny random
 * models, alone and in padded batches.
 */
class BertGraphTest {

    static final BertConfig TINY = BertConfig.of(50, 16, 2, 4, 24, 40, 2);

    static List<Encoding> randomInputs(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Encoding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 4 + rnd.nextInt(20); // 4: the shortest input that prompt pooling reads
            int[] ids = new int[len];
            for (int j = 0; j < len; j++) {
                ids[j] = rnd.nextInt(TINY.vocabSize());
            }
            out.add(new Encoding(ids, new int[len], false));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyPoolingMatchesTheNaiveForwardInPaddedBatches(Engine engine) {
        for (BertConfig.Activation act : BertConfig.Activation.values()) {
            BertWeights w = RandomWeights.create(TINY.withActivation(act), 7, true, 0.3);
            NaiveBert naive = new NaiveBert(w);
            List<Encoding> inputs = randomInputs(11, 3);
            try (Encoder enc = engine.open(w, 4)) {
                Map<Pooling, float[][]> got = enc.encode(inputs, EnumSet.allOf(Pooling.class), Encoder.Progress.NONE);
                for (Pooling p : Pooling.values()) {
                    for (int i = 0; i < inputs.size(); i++) {
                        double[] want = naive.pool(p, inputs.get(i).inputIds());
                        float[] have = got.get(p)[i];
                        assertEquals(want.length, have.length);
                        for (int d = 0; d < want.length; d++) {
                            assertEquals(want[d], have[d], 2e-5, act + " " + p + " input " + i + " dim " + d);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void outputsComeBackInInputOrderWhateverTheBatching(Engine engine) {
        BertWeights w = RandomWeights.create(TINY, 11, true, 0.3);
        List<Encoding> inputs = randomInputs(9, 5);
        float[][] one;
        float[][] many;
        try (Encoder enc = engine.open(w, 1)) {
            one = enc.encode(inputs, EnumSet.of(Pooling.MEAN), Encoder.Progress.NONE)
                    .get(Pooling.MEAN);
        }
        try (Encoder enc = engine.open(w, 9)) {
            many = enc.encode(inputs, EnumSet.of(Pooling.MEAN), Encoder.Progress.NONE)
                    .get(Pooling.MEAN);
        }
        for (int i = 0; i < inputs.size(); i++) {
            for (int d = 0; d < one[i].length; d++) {
                assertEquals(one[i][d], many[i][d], 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void poolerWithoutPoolerWeightsFailsLoudly(Engine engine) {
        BertWeights w = RandomWeights.create(TINY, 1, false);
        try (Encoder enc = engine.open(w, 4)) {
            assertTrue(!enc.available().contains(Pooling.POOLER));
            var e = assertThrows(
                    BertWeights.MissingWeightException.class,
                    () -> enc.encode(randomInputs(2, 1), EnumSet.of(Pooling.POOLER), Encoder.Progress.NONE));
            assertTrue(e.getMessage().contains("pooler.dense.weight"), e.getMessage());
        }
    }
}
