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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.model.RandomWeights;
import org.taskbert.tokenize.Encoding;

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
            int len = 2 + rnd.nextInt(20);
            int[] ids = new int[len];
            for (int j = 0; j < len; j++) {
                ids[j] = rnd.nextInt(TINY.vocabSize());
            }
            out.add(new Encoding(ids, new int[len], false));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Encoder.Engine.class)
    void everyPoolingMatchesTheNaiveForwardInPaddedBatches(Encoder.Engine engine) {
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
    @EnumSource(Encoder.Engine.class)
    void outputsComeBackInInputOrderWhateverTheBatching(Encoder.Engine engine) {
        BertWeights w = RandomWeights.create(TINY, 11, true, 0.3);
        List<Encoding> inputs = randomInputs(9, 5);
        float[][] one;
        float[][] many;
        try (Encoder enc = engine.open(w, 1)) {
            one = enc.encode(inputs, EnumSet.of(Pooling.MEAN), Encoder.Progress.NONE).get(Pooling.MEAN);
        }
        try (Encoder enc = engine.open(w, 9)) {
            many = enc.encode(inputs, EnumSet.of(Pooling.MEAN), Encoder.Progress.NONE).get(Pooling.MEAN);
        }
        for (int i = 0; i < inputs.size(); i++) {
            for (int d = 0; d < one[i].length; d++) {
                assertEquals(one[i][d], many[i][d], 1e-5);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Encoder.Engine.class)
    void poolerWithoutPoolerWeightsFailsLoudly(Encoder.Engine engine) {
        BertWeights w = RandomWeights.create(TINY, 1, false);
        try (Encoder enc = engine.open(w, 4)) {
            assertTrue(!enc.available().contains(Pooling.POOLER));
            var e = assertThrows(BertWeights.MissingWeightException.class,
                    () -> enc.encode(randomInputs(2, 1), EnumSet.of(Pooling.POOLER), Encoder.Progress.NONE));
            assertTrue(e.getMessage().contains("pooler.dense.weight"), e.getMessage());
        }
    }

    /**
     * Frozen layers outside the graph (the trainer's split): the inference encoder's hidden states with the same
     * dropout masks, fed to a graph of the top layers, give the whole graph's pooled vectors and gradients.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2})
    void topLayersGraphOverFrozenLayersEqualsTheWholeGraph(int firstLayer) {
        BertWeights w = RandomWeights.create(TINY, 5, true, 0.3);
        List<Encoding> inputs = randomInputs(5, 9);
        Map<String, INDArray> in = SameDiffEncoder.placeholders(inputs, List.of(0, 1, 2, 3, 4), TINY.maxPositions());
        java.util.function.Predicate<String> top = n -> n.startsWith("pooler.")
                || (n.startsWith("encoder.layer.") && Integer.parseInt(n.split("\\.")[2]) >= firstLayer);
        org.nd4j.autodiff.samediff.SameDiff whole = org.nd4j.autodiff.samediff.SameDiff.create();
        BertGraph all = BertGraph.build(whole, w, top, 0.1);
        org.nd4j.autodiff.samediff.SameDiff part = org.nd4j.autodiff.samediff.SameDiff.create();
        BertGraph upper = BertGraph.buildTop(part, w, firstLayer, top, 0.1);
        List<String> names = new ArrayList<>();
        for (Pooling p : Pooling.values()) {
            whole.identity("out_" + p.id(), all.pool(p));
            part.identity("out_" + p.id(), upper.pool(p));
            names.add("out_" + p.id());
        }
        whole.setLossVariables(whole.sum("loss", whole.getVariable("out_mean").mul(whole.getVariable("out_pooler"))));
        part.setLossVariables(part.sum("loss", part.getVariable("out_mean").mul(part.getVariable("out_pooler"))));
        assertEquals(all.dropoutSites().stream().map(BertGraph.DropoutSite::placeholder).toList(),
                upper.dropoutSites().stream().map(BertGraph.DropoutSite::placeholder).toList(), "same sites, same order");

        int b = 5;
        int t = (int) in.get(BertGraph.INPUT_IDS).size(1);
        SplittableRandom rnd = new SplittableRandom(3);
        Map<String, INDArray> wholeIn = new java.util.HashMap<>(in);
        Map<String, INDArray> outside = new java.util.HashMap<>();
        Map<String, INDArray> partIn = new java.util.HashMap<>();
        partIn.put(BertGraph.ATTENTION_MASK, in.get(BertGraph.ATTENTION_MASK));
        for (BertGraph.DropoutSite site : upper.dropoutSites()) {
            long[] shape = site.attention() ? new long[] {b, TINY.numHeads(), t, t} : new long[] {(long) b * t, TINY.hiddenSize()};
            INDArray mask = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, shape);
            for (long k = 0; k < mask.length(); k++) {
                mask.putScalar(k, rnd.nextDouble() < 0.1 ? 0 : 1 / 0.9);
            }
            wholeIn.put(site.placeholder(), mask);
            (site.inGraph() ? partIn : outside).put(site.placeholder(), mask);
        }
        InferenceEncoder.Hidden h = new InferenceEncoder(w, 1, firstLayer).hidden(in, firstLayer, firstLayer > 1, outside);
        partIn.put(BertGraph.HIDDEN_IN, h.last());
        if (firstLayer > 1) {
            partIn.put(BertGraph.HIDDEN_FIRST, h.first());
        }
        Map<String, INDArray> want = whole.output(wholeIn, names.toArray(String[]::new));
        Map<String, INDArray> got = part.output(partIn, names.toArray(String[]::new));
        for (String name : names) {
            assertTrue(want.get(name).equalsWithEps(got.get(name), 1e-5), name + " from layer " + firstLayer);
        }
        String weight = "pooler.dense.weight";
        INDArray gWant = whole.calculateGradients(wholeIn, weight).get(weight);
        INDArray gGot = part.calculateGradients(partIn, weight).get(weight);
        assertTrue(gWant.norm2Number().doubleValue() > 0);
        assertTrue(gWant.equalsWithEps(gGot, 1e-4), "gradient from layer " + firstLayer);
    }
}
