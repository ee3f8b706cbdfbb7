package org.taskbert.tasks.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
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
import org.taskbert.encoder.BertInputs;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.SameDiffEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.HeadRunner;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.SentenceEncoder;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.eval.ClassificationMetrics;
import org.taskbert.train.TaskHarness;

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
        ClassificationConfig cfg = new ClassificationConfig(
                train, dev, test, null, null, null, pairField, null, null, null, Pooling.parse(pooling), null);
        cfg.validate("test");
        return (ClassificationTask) cfg.create(TaskHarness.context(model, 24, 4, 7));
    }

    /** The training set in the order of an epoch of the task's batches (seed 7). */
    private static List<LabelledText> epoch(ClassificationTask task, long epoch) {
        return BatchSource.shuffle(task.data().train(), 7, epoch);
    }

    /** Three classes; with {@code pairs}, a second text in {@code text_b}. */
    private Path threeClasses(String name, int n, boolean pairs) throws Exception {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(n);
        String[] labels = {"people", "animals", "fillers"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = labels[i % 3];
            String text = label.equals("fillers") ? "the a is" : SyntheticTopics.text(label, rnd);
            lines.add("{\"text\": \"" + text + "\", "
                    + (pairs ? "\"text_b\": \"" + SyntheticTopics.text("people", rnd) + "\", " : "") + "\"label\": \""
                    + label + "\"}");
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
        Map<String, INDArray> ph =
                new HashMap<>(BertInputs.of(batch.sequences(), model.config().maxPositions()));
        ph.putAll(batch.placeholders());
        ph.keySet().removeIf(name -> !sd.hasVariable(name));
        String enc = "encoder.layer.1.output.dense.weight";
        Map<String, INDArray> grads = sd.calculateGradients(ph, enc, "head." + ClassificationTask.WEIGHT);
        for (INDArray g : grads.values()) {
            double norm = g.norm2Number().doubleValue();
            assertTrue(Double.isFinite(norm) && norm > 0, "gradient norm " + norm);
        }
        return sd.output(ph, loss.name()).get(loss.name()).getDouble(0);
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
            List<LabelledText> examples = epoch(task, 0).subList(0, 6);
            List<Encoding> enc = examples.stream()
                    .map(e -> model.tokenizer().encode(e.text(), 24))
                    .toList();
            float[] b = {0.3f, -0.2f, 0.5f};
            double want = crossEntropy(
                    pooled(enc, Pooling.parse(pooling)),
                    plantedW(),
                    b,
                    gold(task, examples, List.of("animals", "fillers", "people")));
            assertEquals(want, graphLoss(task, task.toBatch(examples), plantedW(), b), 1e-5, pooling);
        }
    }

    @Test
    void pairsAreEncodedJointlyWithSegmentsZeroAndOne() throws Exception {
        Path train = threeClasses("pairs.jsonl", 9, true);
        ClassificationTask task = task(train, train, null, "text_b", "cls");
        List<LabelledText> examples = epoch(task, 0).subList(0, 5);
        Batch batch = task.toBatch(examples);
        List<Encoding> enc = examples.stream()
                .map(e -> model.tokenizer().encodePair(e.text(), e.textPair(), 24))
                .toList();
        for (int i = 0; i < enc.size(); i++) {
            assertArrayEquals(enc.get(i).inputIds(), batch.sequences().get(i).inputIds(), "one sequence a pair");
            assertArrayEquals(
                    enc.get(i).tokenTypeIds(), batch.sequences().get(i).tokenTypeIds());
            assertEquals(
                    1, java.util.Arrays.stream(enc.get(i).tokenTypeIds()).max().orElseThrow(), "segment 1 for b");
        }
        float[] b = {0f, 0.1f, -0.4f};
        double want = crossEntropy(
                pooled(enc, Pooling.CLS), plantedW(), b, gold(task, examples, List.of("animals", "fillers", "people")));
        assertEquals(want, graphLoss(task, batch, plantedW(), b), 1e-5);
    }

    @Test
    void batchesAreOneHotAndAShuffleOfTheTrainingSetPerEpoch() throws Exception {
        Path train = threeClasses("train.jsonl", 10, false);
        ClassificationTask task = task(train, train, null, null, "pooler");
        List<LabelledText> e0 = epoch(task, 0);
        assertEquals(Set.copyOf(e0), Set.copyOf(epoch(task, 1)));
        assertNotEquals(e0, epoch(task, 1), "each epoch has its own order");
        BatchSource source = task.batches();
        assertEquals(2, source.batchesPerEpoch()); // 10 examples, 4 a batch: the last 2 wait for the next epoch
        Batch batch = source.batch(0, 0);
        assertEquals(4, batch.examples());
        INDArray y = batch.placeholders().get(ClassificationTask.LABELS);
        List<String> labels = List.of("animals", "fillers", "people");
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(
                    model.tokenizer().encode(e0.get(i).text(), 24).inputIds(),
                    batch.sequences().get(i).inputIds(),
                    "row " + i + " is example " + i + " of the epoch's order");
            float[] want = new float[3];
            want[labels.indexOf(e0.get(i).label())] = 1;
            assertArrayEquals(want, y.getRow(i).toFloatVector(), e0.get(i).text());
        }
        assertEquals(ids(source.batch(3, 1)), ids(task.batches().batch(3, 1)), "a function of (epoch, index)");
        assertEquals(ids(task.toBatch(epoch(task, 3).subList(4, 8))), ids(source.batch(3, 1)));
        Set<LabelledText> seen = new HashSet<>(epoch(task, 3).subList(0, 8));
        assertEquals(8, seen.size(), "an epoch's batches hold distinct examples");
    }

    private static List<List<Integer>> ids(Batch b) {
        return b.sequences().stream()
                .map(e -> java.util.Arrays.stream(e.inputIds()).boxed().toList())
                .toList();
    }

    @Test
    void theHeadsLogitsArePooledTimesWPlusBAndEvaluationScoresTheirArgmax() throws Exception {
        Path train = threeClasses("train.jsonl", 9, false);
        Path dev = threeClasses("dev.jsonl", 70, false); // more than one evaluation batch (64)
        ClassificationTask task = task(train, dev, null, null, "mean");
        // the head as buildLoss initialises it (seeded): W [16, 3] and b [3]
        SameDiff sd = SameDiff.create();
        task.buildLoss(new TaskGraph(sd, BertGraph.build(sd, model.weights(), n -> false)));
        float[][] w =
                sd.getVariable("head." + ClassificationTask.WEIGHT).getArr().toFloatMatrix();
        float[] b = sd.getVariable("head." + ClassificationTask.BIAS).getArr().toFloatVector();
        List<LabelledText> examples = task.data().dev();
        float[][] v = pooled(
                examples.stream()
                        .map(e -> model.tokenizer().encode(e.text(), 24))
                        .toList(),
                Pooling.MEAN);
        int[] want = new int[v.length];
        Map<String, Double> metrics;
        try (TaskHarness.Evaluation context = TaskHarness.evaluation(task, model)) {
            float[][] logits = context.head()
                    .run(task.toBatch(examples.subList(0, 8)), ClassificationTask.LOGITS)
                    .get(ClassificationTask.LOGITS)
                    .toFloatMatrix();
            for (int i = 0; i < v.length; i++) {
                double[] z = new double[3];
                for (int c = 0; c < 3; c++) {
                    z[c] = b[c];
                    for (int d = 0; d < 16; d++) {
                        z[c] += (double) v[i][d] * w[d][c];
                    }
                    want[i] = z[c] > z[want[i]] ? c : want[i];
                }
                if (i < 8) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(z[c], logits[i][c], 1e-5, "logit " + i + "," + c);
                    }
                }
            }
            assertArrayEquals(want, task.predict(context.head(), examples), "the argmax, batch after batch");
            metrics = task.evaluate(context);
        }
        assertTrue(java.util.Arrays.stream(want).distinct().count() > 1, "the random head predicts several classes");
        ClassificationMetrics m = ClassificationMetrics.of(
                examples.stream()
                        .mapToInt(e -> List.of("animals", "fillers", "people").indexOf(e.label()))
                        .toArray(),
                want,
                3);
        assertEquals(Map.of("dev.accuracy", 100 * m.accuracy(), "dev.macro_f1", 100 * m.macroF1()), metrics);
    }

    @Test
    void evaluationScoresDevAndTestWithTheCurrentHead() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 6, 1);
        Path dev = Files.write(
                tmp.resolve("dev.jsonl"),
                List.of(
                        SyntheticTopics.line("man", "people"),
                        SyntheticTopics.line("dog", "animals"),
                        SyntheticTopics.line("guitar", "people"),
                        SyntheticTopics.line("cat", "animals"),
                        SyntheticTopics.line("woman", "people")));
        Path test = Files.write(
                tmp.resolve("test.jsonl"),
                List.of(
                        SyntheticTopics.line("man", "people"),
                        SyntheticTopics.line("dog", "animals"),
                        SyntheticTopics.line("cat", "animals"),
                        SyntheticTopics.line("cat", "animals")));
        ClassificationTask task = task(train, dev, test, null, "pooler");
        // a head whose logits favour class 1 (labels sorted: animals, people): every text is called "people"
        List<String> asked = new ArrayList<>();
        HeadRunner head = (batch, names) -> {
            asked.addAll(List.of(names));
            INDArray z = Nd4j.zeros(batch.sequences().size(), 2);
            z.getColumn(1).assign(1);
            return Map.of(ClassificationTask.LOGITS, z);
        };
        Map<String, Double> m = task.evaluate(new EvaluationContext() {
            @Override
            public SentenceEncoder encoder() {
                throw new AssertionError("the head's own logits are scored, not sentence vectors");
            }

            @Override
            public HeadRunner head() {
                return head;
            }
        });
        assertEquals(List.of(ClassificationTask.LOGITS, ClassificationTask.LOGITS), asked, "one batch each, dev, test");
        assertEquals(
                List.of("dev.accuracy", "dev.macro_f1", "test.accuracy", "test.macro_f1"), List.copyOf(m.keySet()));
        assertEquals(60, m.get("dev.accuracy"), 1e-9); // 3 of 5 are people
        assertEquals(100 * (0.75 + 0) / 2, m.get("dev.macro_f1"), 1e-9); // people F1 6/8, animals F1 0
        assertEquals(25, m.get("test.accuracy"), 1e-9);
        assertEquals(100 * (2.0 / 5 + 0) / 2, m.get("test.macro_f1"), 1e-9); // people: TP 1, FP 3 → 2/5
    }

    @Test
    void theEmbeddingEvaluationProbesPlantedVectorsAsTheLabelsSay() throws Exception {
        ClassificationTask task = task(
                threeClasses("train.jsonl", 60, false),
                threeClasses("dev.jsonl", 12, false),
                threeClasses("test.jsonl", 9, false),
                null,
                "mean");
        EmbeddingEvaluation eval = task.embeddingEvaluation().orElseThrow();
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
        assertTrue(
                none.get("dev.accuracy") < 75 && none.get("test.accuracy") < 80,
                "noise carries no label, so the probe stays near chance (33%): " + none);
    }

    @Test
    void aPairsEmbeddingEvaluationReadsBothSidesAndScoresPairFeatures() throws Exception {
        ClassificationTask task =
                task(threeClasses("train.jsonl", 30, true), threeClasses("dev.jsonl", 6, true), null, "text_b", "mean");
        EmbeddingEvaluation eval = task.embeddingEvaluation().orElseThrow();
        assertEquals(2 * 36, eval.texts().size());
        assertEquals(task.data().train().get(0).textPair(), eval.texts().get(36));
        float[][] x = ClassificationTask.pairFeatures(new float[][] {{1, 2}, {5, -1}}, 1);
        assertArrayEquals(new float[] {1, 2, 5, -1, 4, 3, 5, -2}, x[0]);
    }
}
