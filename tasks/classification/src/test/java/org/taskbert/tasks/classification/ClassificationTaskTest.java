package org.taskbert.tasks.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.encoder.BertGraph;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Tensor;
import org.taskbert.model.TinyModels;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.HeadWeights;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;
import org.taskbert.tokenize.Encoding;

/** The head, loss, batches and evaluation on a tiny random model, against the same numbers computed by hand. */
class ClassificationTaskTest {

    @TempDir
    Path tmp;
    LoadedModel model;

    @BeforeEach
    void tinyModel() throws Exception {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        model = new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
    }

    private ClassificationTask task(Path train, Path dev, Path test, String pairField, String pooling)
            throws Exception {
        ClassificationConfig cfg = new ClassificationConfig(train, dev, test, null, null, null, pairField, null, null,
                null, pooling, null);
        cfg.validate("test");
        return (ClassificationTask) cfg.create(new TaskContext(model, model.tokenizer(), 24, 4, 7));
    }

    /** Three classes; with {@code pairs}, a second text in {@code text_b}. */
    private Path threeClasses(String name, int n, boolean pairs) throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(n);
        String[] labels = {"people", "animals", "fillers"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = labels[i % 3];
            String text = label.equals("fillers") ? "the a is" : SyntheticTopics.text(label, rnd);
            lines.add("{\"text\": \"" + text + "\", " + (pairs ? "\"text_b\": \"" + SyntheticTopics.text("people", rnd)
                    + "\", " : "") + "\"label\": \"" + label + "\"}");
        }
        return Files.write(tmp.resolve(name), lines);
    }

    /** The graph's loss for a batch, with the head set to W and b; the backward pass must reach the encoder. */
    private double graphLoss(ClassificationTask task, Batch batch, float[][] w, float[] b) {
        SameDiff sd = SameDiff.create();
        BertGraph bert = BertGraph.build(sd, model.weights(), n -> n.startsWith("encoder.layer.1."));
        SDVariable loss = task.buildLoss(new TaskGraph(sd, bert));
        sd.setLossVariables(loss);
        INDArray w0 = sd.getVariable("head." + ClassificationTask.WEIGHT).getArr();
        INDArray b0 = sd.getVariable("head." + ClassificationTask.BIAS).getArr();
        assertArrayEquals(new long[] {16, 3}, w0.shape());
        assertEquals(0, b0.norm2Number().doubleValue(), 0, "the bias starts at zero");
        double std = w0.stdNumber().doubleValue();
        assertTrue(std > 0.01 && std < 0.03, "W starts normal(0, 0.02): std " + std);
        w0.assign(Nd4j.createFromArray(w));
        b0.assign(Nd4j.createFromArray(b).reshape(b0.shape()));
        String enc = "encoder.layer.1.output.dense.weight";
        Map<String, INDArray> grads = sd.calculateGradients(batch.placeholders(), enc, "head." + ClassificationTask.WEIGHT);
        for (INDArray g : grads.values()) {
            double norm = g.norm2Number().doubleValue();
            assertTrue(Double.isFinite(norm) && norm > 0, "gradient norm " + norm);
        }
        return sd.output(batch.placeholders(), loss.name()).get(loss.name()).getDouble(0);
    }

    private float[][] pooled(List<Encoding> inputs, Pooling p) {
        try (SameDiffEncoder e = new SameDiffEncoder(model.weights(), 8)) {
            return e.encode(inputs, EnumSet.of(p), Encoder.Progress.NONE).get(p);
        }
    }

    /** Mean over rows of log Σ_c exp(z_c) − z_gold, z = vW + b. */
    private static double crossEntropy(float[][] v, float[][] w, float[] b, int[] gold) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            double[] z = new double[b.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < b.length; c++) {
                z[c] = b[c];
                for (int d = 0; d < v[i].length; d++) {
                    z[c] += v[i][d] * w[d][c];
                }
                max = Math.max(max, z[c]);
            }
            double s = 0;
            for (double x : z) {
                s += Math.exp(x - max);
            }
            sum += max + Math.log(s) - z[gold[i]];
        }
        return sum / v.length;
    }

    private static float[][] plantedW() {
        float[][] w = new float[16][3];
        for (int d = 0; d < 16; d++) {
            for (int c = 0; c < 3; c++) {
                w[d][c] = (float) Math.sin(1.3 * d + 2.1 * c);
            }
        }
        return w;
    }

    private static int[] gold(ClassificationTask task, List<LabelledText> examples, List<String> labels) {
        return examples.stream().mapToInt(e -> labels.indexOf(e.label())).toArray();
    }

    @Test
    void lossIsTheSoftmaxCrossEntropyOfTheHeadOnThePooledVector() throws Exception {
        for (String pooling : List.of("pooler", "mean")) {
            Path train = threeClasses("train.jsonl", 9, false);
            ClassificationTask task = task(train, train, null, null, pooling);
            List<LabelledText> examples = task.epoch(0).subList(0, 6);
            List<Encoding> enc = examples.stream().map(e -> model.tokenizer().encode(e.text(), 24)).toList();
            float[] b = {0.3f, -0.2f, 0.5f};
            double want = crossEntropy(pooled(enc, Pooling.parse(pooling)), plantedW(), b,
                    gold(task, examples, List.of("animals", "fillers", "people")));
            assertEquals(want, graphLoss(task, task.toBatch(examples), plantedW(), b), 1e-5, pooling);
        }
    }

    @Test
    void pairsAreEncodedJointlyWithSegmentsZeroAndOne() throws Exception {
        Path train = threeClasses("pairs.jsonl", 9, true);
        ClassificationTask task = task(train, train, null, "text_b", "cls");
        List<LabelledText> examples = task.epoch(0).subList(0, 5);
        Batch batch = task.toBatch(examples);
        assertTrue(batch.placeholders().get(BertGraph.TOKEN_TYPE_IDS).maxNumber().intValue() == 1, "segment 1 for b");
        List<Encoding> enc = examples.stream().map(e -> model.tokenizer().encodePair(e.text(), e.textPair(), 24))
                .toList();
        float[] b = {0f, 0.1f, -0.4f};
        double want = crossEntropy(pooled(enc, Pooling.CLS), plantedW(), b,
                gold(task, examples, List.of("animals", "fillers", "people")));
        assertEquals(want, graphLoss(task, batch, plantedW(), b), 1e-5);
    }

    @Test
    void batchesAreOneHotAndAShuffleOfTheTrainingSetPerEpoch() throws Exception {
        Path train = threeClasses("train.jsonl", 10, false);
        ClassificationTask task = task(train, train, null, null, "pooler");
        List<LabelledText> e0 = task.epoch(0);
        assertEquals(Set.copyOf(e0), Set.copyOf(task.epoch(1)));
        assertNotEquals(e0, task.epoch(1), "each epoch has its own order");
        assertEquals(e0, task.epoch(0), "an epoch's order is a function of the seed and the epoch");
        Batch batch = task.toBatch(e0.subList(0, 4));
        INDArray y = batch.placeholders().get(ClassificationTask.LABELS);
        List<String> labels = List.of("animals", "fillers", "people");
        for (int i = 0; i < 4; i++) {
            float[] row = y.getRow(i).toFloatVector();
            float[] want = new float[3];
            want[labels.indexOf(e0.get(i).label())] = 1;
            assertArrayEquals(want, row, e0.get(i).text());
        }
        BatchSource source = task.batches();
        assertEquals(2, source.batchesPerEpoch()); // 10 examples, 4 a batch: the last 2 wait for the next epoch
        assertEquals(source.batch(3, 1).placeholders().get(BertGraph.INPUT_IDS),
                task.batches().batch(3, 1).placeholders().get(BertGraph.INPUT_IDS), "a function of (epoch, index)");
        Set<LabelledText> seen = new HashSet<>();
        task.epoch(3).subList(0, 8).forEach(seen::add);
        assertEquals(8, seen.size(), "an epoch's batches hold distinct examples");
    }

    @Test
    void predictionIsTheArgmaxOfPooledTimesWPlusB() {
        // W [H=2, C=3] row-major; read as [C, H] the first answer would be class 2
        Tensor w = new Tensor(new long[] {2, 3}, new float[] {1, 0, -1, 0, 2, 1});
        Tensor b = new Tensor(new long[] {3}, new float[] {0, 0, 1.5f});
        assertArrayEquals(new int[] {1, 0}, ClassificationTask.predict(new float[][] {{1, 1}, {3, -1}}, w, b));
    }

    @Test
    void evaluationScoresDevAndTestWithTheCurrentHead() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 6, 1);
        Path dev = Files.write(tmp.resolve("dev.jsonl"), List.of(SyntheticTopics.line("man", "people"),
                SyntheticTopics.line("dog", "animals"), SyntheticTopics.line("guitar", "people"),
                SyntheticTopics.line("cat", "animals"), SyntheticTopics.line("woman", "people")));
        Path test = Files.write(tmp.resolve("test.jsonl"), List.of(SyntheticTopics.line("man", "people"),
                SyntheticTopics.line("dog", "animals"), SyntheticTopics.line("cat", "animals"),
                SyntheticTopics.line("cat", "animals")));
        ClassificationTask task = task(train, dev, test, null, "pooler");
        // W = 0, b favours class 1 (labels sorted: animals, people): every text is called "people"
        HeadWeights head = new HeadWeights(Map.of(ClassificationTask.WEIGHT, new Tensor(new long[] {16, 2},
                new float[32]), ClassificationTask.BIAS, new Tensor(new long[] {2}, new float[] {0, 1})));
        Map<String, Double> m;
        try (TextEncoder enc = TextEncoder.open(model, 8)) {
            m = task.evaluate(enc, head);
        }
        assertEquals(List.of("dev.accuracy", "dev.macro_f1", "test.accuracy", "test.macro_f1"), List.copyOf(m.keySet()));
        assertEquals(60, m.get("dev.accuracy"), 1e-9);            // 3 of 5 are people
        assertEquals(100 * (0.75 + 0) / 2, m.get("dev.macro_f1"), 1e-9); // people F1 6/8, animals F1 0
        assertEquals(25, m.get("test.accuracy"), 1e-9);
        assertEquals(100 * (2.0 / 5 + 0) / 2, m.get("test.macro_f1"), 1e-9); // people: TP 1, FP 3 → 2/5
    }

    @Test
    void theEmbeddingEvaluationProbesPlantedVectorsAsTheLabelsSay() throws Exception {
        ClassificationTask task = task(threeClasses("train.jsonl", 60, false), threeClasses("dev.jsonl", 12, false),
                threeClasses("test.jsonl", 9, false), null, "mean");
        org.taskbert.task.EmbeddingEvaluation eval = task.embeddingEvaluation().orElseThrow();
        List<String> texts = eval.texts();
        assertEquals(60 + 12 + 9, texts.size());
        assertEquals(24, eval.maxLength());
        List<String> labels = List.of("people", "animals", "fillers");
        List<LabelledText> all = new ArrayList<>(task.data().train());
        all.addAll(task.data().dev());
        all.addAll(task.data().test());
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        float[][] planted = new float[texts.size()][];
        float[][] noise = new float[texts.size()][];
        for (int i = 0; i < planted.length; i++) {
            assertEquals(all.get(i).text(), texts.get(i), "texts are train, dev, test in order");
            planted[i] = new float[8];
            noise[i] = new float[8];
            for (int d = 0; d < 8; d++) {
                noise[i][d] = (float) rnd.nextGaussian();
                planted[i][d] = 0.1f * noise[i][d];
            }
            planted[i][labels.indexOf(all.get(i).label())] += 3; // the label's own direction
        }
        Map<String, Double> good = eval.score(planted);
        assertEquals(Set.of("dev.accuracy", "dev.macro_f1", "test.accuracy", "test.macro_f1"), good.keySet());
        good.values().forEach(v -> assertEquals(100, v, 1e-9, "planted labels are linearly separable: " + good));
        Map<String, Double> none = eval.score(noise);
        assertTrue(none.get("dev.accuracy") < 75 && none.get("test.accuracy") < 80,
                "noise carries no label, so the probe stays near chance (33%): " + none);
    }

    @Test
    void aPairsEmbeddingEvaluationReadsBothSidesAndScoresPairFeatures() throws Exception {
        ClassificationTask task = task(threeClasses("train.jsonl", 30, true), threeClasses("dev.jsonl", 6, true),
                null, "text_b", "mean");
        org.taskbert.task.EmbeddingEvaluation eval = task.embeddingEvaluation().orElseThrow();
        assertEquals(2 * 36, eval.texts().size());
        assertEquals(task.data().train().get(0).textPair(), eval.texts().get(36));
        float[][] x = ClassificationTask.pairFeatures(new float[][] {{1, 2}, {5, -1}}, 1);
        assertArrayEquals(new float[] {1, 2, 5, -1, 4, 3, 5, -2}, x[0]);
    }
}
