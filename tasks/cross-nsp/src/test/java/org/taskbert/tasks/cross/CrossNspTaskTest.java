package org.taskbert.tasks.cross;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.encoder.BertGraph;
import org.taskbert.encoder.BertInputs;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.NextSentencePairs;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.spi.data.SentenceSplitter;
import org.taskbert.train.TaskHarness;

/** The cross-encoder control: joint pairs with segment ids, and a softmax over a hidden→2 layer on the pooler. */
class CrossNspTaskTest {

    @TempDir
    Path tmp;

    @Test
    void lossIsTheSoftmaxCrossEntropyOfTheNspHeadOnJointPairs() throws Exception {
        Path corpus = tmp.resolve("c.jsonl.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(corpus))) {
            for (int d = 0; d < 10; d++) {
                out.write(("{\"id\": \"d" + d + "\", \"text\": \"The man is playing. A dog runs. The cat sleeps."
                                + " A woman is playing guitar.\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(2, true), vocab, true);
        CrossNspTask task = (CrossNspTask)
                new CrossNspConfig(corpus, 0, null, 16, null).create(TaskHarness.context(model, 32, 4, 5));
        List<SentencePair> pairs = NextSentencePairs.sample(Corpus.read(corpus, new SentenceSplitter()), 4, 9);
        Batch batch = task.toBatch(pairs);
        assertEquals(4, batch.sequences().size(), "one joint sequence per pair");
        int types = batch.sequences().stream()
                .mapToInt(e -> java.util.Arrays.stream(e.tokenTypeIds()).sum())
                .sum();
        assertTrue(types > 0, "sentence B has segment id 1");

        SameDiff sd = SameDiff.create();
        SDVariable loss = task.buildLoss(
                new TaskGraph(sd, BertGraph.build(sd, model.weights(), n -> n.startsWith("encoder.layer.1."))));
        sd.setLossVariables(loss);
        Map<String, INDArray> ph =
                new HashMap<>(BertInputs.of(batch.sequences(), model.config().maxPositions()));
        ph.putAll(batch.placeholders());
        ph.keySet().removeIf(name -> !sd.hasVariable(name));
        INDArray grad = sd.calculateGradients(ph, "head.nsp.weight").get("head.nsp.weight");
        assertTrue(grad.norm2Number().doubleValue() > 0, "the backward pass runs and reaches the head");
        double got = sd.output(ph, loss.name()).get(loss.name()).getDouble(0);
        float[][] w = sd.getVariable("head.nsp.weight").getArr().toFloatMatrix();
        float[] b = sd.getVariable("head.nsp.bias").getArr().toFloatVector();

        List<Encoding> joint = new ArrayList<>();
        pairs.forEach(p -> joint.add(model.tokenizer().encodePair(p.a(), p.b(), 32)));
        float[][] pooled;
        try (SameDiffEncoder enc = new SameDiffEncoder(model.weights(), 8)) {
            pooled = enc.encode(joint, EnumSet.of(Pooling.POOLER), Encoder.Progress.NONE)
                    .get(Pooling.POOLER);
        }
        double want = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double[] z = new double[2];
            for (int c = 0; c < 2; c++) {
                z[c] = b[c];
                for (int k = 0; k < pooled[i].length; k++) {
                    z[c] += pooled[i][k] * w[k][c];
                }
            }
            int y = pairs.get(i).isNext() ? 1 : 0;
            double lse = Math.log(Math.exp(z[0]) + Math.exp(z[1]));
            want += (lse - z[y]) / pairs.size();
        }
        assertEquals(want, got, 1e-5);
    }
}
