package org.taskbert.tasks.cross;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.corpus.NextSentencePairs;
import org.taskbert.corpus.SentencePair;
import org.taskbert.encoder.BertGraph;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.task.Batch;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;
import org.taskbert.tokenize.Encoding;

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
                        + " A woman is playing guitar.\"}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(2, true), vocab, true);
        CrossNspTask task = (CrossNspTask) new CrossNspConfig(corpus, 0, null, 16, null)
                .create(new TaskContext(model, model.tokenizer(), 32, 4, 5));
        List<SentencePair> pairs = NextSentencePairs.sample(
                org.taskbert.corpus.Corpus.read(corpus, new org.taskbert.corpus.SentenceSplitter()), 4, 9);
        Batch batch = task.toBatch(pairs);
        INDArray types = batch.placeholders().get(BertGraph.TOKEN_TYPE_IDS);
        assertTrue(types.sumNumber().intValue() > 0, "sentence B has segment id 1");

        SameDiff sd = SameDiff.create();
        SDVariable loss = task.buildLoss(new TaskGraph(sd, BertGraph.build(sd, model.weights(),
                n -> n.startsWith("encoder.layer.1."))));
        sd.setLossVariables(loss);
        INDArray grad = sd.calculateGradients(batch.placeholders(), "head.nsp.weight").get("head.nsp.weight");
        assertTrue(grad.norm2Number().doubleValue() > 0, "the backward pass runs and reaches the head");
        double got = sd.output(batch.placeholders(), loss.name()).get(loss.name()).getDouble(0);
        float[][] w = sd.getVariable("head.nsp.weight").getArr().toFloatMatrix();
        float[] b = sd.getVariable("head.nsp.bias").getArr().toFloatVector();

        List<Encoding> joint = new ArrayList<>();
        pairs.forEach(p -> joint.add(model.tokenizer().encodePair(p.a(), p.b(), 32)));
        float[][] pooled;
        try (SameDiffEncoder enc = new SameDiffEncoder(model.weights(), 8)) {
            pooled = enc.encode(joint, EnumSet.of(Pooling.POOLER), Encoder.Progress.NONE).get(Pooling.POOLER);
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
