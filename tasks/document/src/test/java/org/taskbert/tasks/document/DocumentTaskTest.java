package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.encoder.BertGraph;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Batch;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.eval.Retrieval;
import org.taskbert.task.TaskLosses;
import org.taskbert.tasks.document.DocumentConfig.Baseline;
import org.taskbert.tasks.document.DocumentConfig.Objective;
import org.taskbert.tasks.document.DocumentConfig.SentenceEncoding;
import org.taskbert.tasks.document.DocumentConfig.Views;
import org.taskbert.train.TaskHarness;

/** The document task's losses and batches on a tiny model, against the same numbers computed by hand. */
class DocumentTaskTest {

    @TempDir
    Path tmp;

    LoadedModel model() throws IOException {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        return new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
    }

    DocumentTask task(Objective objective, Views views, List<Baseline> baselines) throws Exception {
        return task(objective, views, baselines, SentenceEncoding.FROZEN);
    }

    DocumentTask task(Objective objective, Views views, List<Baseline> baselines, SentenceEncoding encoder)
            throws Exception {
        return task(objective, views, baselines, encoder, null);
    }

    DocumentTask task(
            Objective objective,
            Views views,
            List<Baseline> baselines,
            SentenceEncoding encoder,
            DocumentConfig.DocumentPooling documentPooling)
            throws Exception {
        Path corpus = SyntheticDocuments.order(tmp.resolve("c.jsonl.gz"), 24, 2);
        DocumentConfig cfg = new DocumentConfig(
                corpus,
                0,
                "en",
                0.25,
                1L,
                encoder,
                Pooling.MEAN,
                4,
                16,
                objective,
                views,
                0.5,
                1,
                2,
                8,
                documentPooling,
                baselines,
                null,
                2,
                tmp.resolve("cache"));
        cfg.validate("test");
        return (DocumentTask) cfg.create(TaskHarness.context(model(), 16, 4, 7));
    }

    DocumentTask task(Objective objective, Views views) throws Exception {
        return task(objective, views, null);
    }

    /** The graph's loss on a batch, with its head weights (names without "head.") written into params. */
    static double loss(DocumentTask task, Batch batch, Map<String, INDArray> params) {
        SameDiff sd = SameDiff.create();
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(3, true), Path.of("unused"), true);
        BertGraph bert = BertGraph.build(sd, model.weights(), n -> false);
        SDVariable loss = task.buildLoss(new TaskGraph(sd, bert));
        sd.setLossVariables(loss);
        List<String> head = sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE)
                .map(SDVariable::name)
                .toList();
        assertTrue(head.stream().allMatch(n -> n.startsWith("head.")) && head.size() > 10, head.toString());
        Map<String, INDArray> grads = sd.calculateGradients(batch.placeholders(), head);
        for (String w : List.of("head.doc.slot", "head.doc.layer0.query.weight", "head.doc.input.LayerNorm.weight")) {
            double norm = grads.get(w).norm2Number().doubleValue();
            assertTrue(Double.isFinite(norm) && norm > 0, w + " gradient norm " + norm);
        }
        head.forEach(n -> params.put(
                n.substring("head.".length()), sd.getVariable(n).getArr().dup()));
        return sd.output(batch.placeholders(), loss.name()).get(loss.name()).getDouble(0);
    }

    @Test
    void classificationLossIsTheCrossEntropyOfTheHeadOverTheDocumentVector() throws Exception {
        DocumentTask task = task(Objective.CLASSIFICATION, Views.HALVES);
        List<Document> docs = task.data().train().subList(0, 4);
        Map<String, INDArray> p = new HashMap<>();
        double got = loss(task, task.toBatch(docs), p);
        ReferenceDocumentLayers ref = new ReferenceDocumentLayers(p, task.shape());
        double want = 0;
        for (Document d : docs) {
            double[] v = ref.documentVector(task.data().sentences(d));
            double[] z = new double[2];
            for (int c = 0; c < 2; c++) {
                z[c] = p.get("classifier.bias").getDouble(0, c);
                for (int j = 0; j < v.length; j++) {
                    z[c] += v[j] * p.get("classifier.weight").getDouble(j, c);
                }
            }
            int y = task.data().labels().indexOf(d.label());
            want += (Math.log(Math.exp(z[0]) + Math.exp(z[1])) - z[y]) / docs.size();
        }
        assertEquals(want, got, 1e-5);
    }

    @Test
    void contrastiveLossIsTheSymmetricSoftmaxOverTheBatchsOtherDocuments() throws Exception {
        for (Views views : Views.values()) {
            DocumentTask task = task(Objective.CONTRASTIVE, views);
            List<Document> docs = task.data().train().subList(0, 3);
            Map<String, INDArray> p = new HashMap<>();
            double got = loss(task, task.toBatch(docs), p);
            ReferenceDocumentLayers ref = new ReferenceDocumentLayers(p, task.shape());
            double[][] u = new double[3][];
            double[][] v = new double[3][];
            for (int i = 0; i < 3; i++) {
                float[][] s = task.data().sentences(docs.get(i)); // three sentences: A, B and a filler
                float[][] first = views == Views.ALTERNATE ? new float[][] {s[0], s[2]} : new float[][] {s[0], s[1]};
                float[][] second = switch (views) {
                    case HALVES -> new float[][] {s[2]};
                    case ALTERNATE -> new float[][] {s[1]};
                    case OVERLAPPING -> new float[][] {s[1], s[2]};
                };
                u[i] = unit(ref.documentVector(first));
                v[i] = unit(ref.documentVector(second));
            }
            double want = 0;
            for (int i = 0; i < 3; i++) {
                double rowLse = 0;
                double colLse = 0;
                for (int j = 0; j < 3; j++) {
                    rowLse += Math.exp(dot(u[i], v[j]) / 0.5);
                    colLse += Math.exp(dot(v[i], u[j]) / 0.5);
                }
                want += 0.5 * (Math.log(rowLse) - dot(u[i], v[i]) / 0.5 + Math.log(colLse) - dot(v[i], u[i]) / 0.5) / 3;
            }
            assertEquals(want, got, 1e-5, org.taskbert.spi.config.ConfigChecks.name(views));
        }
    }

    @Test
    void batchesAreAFunctionOfEpochAndIndexWithOneHotLabels() throws Exception {
        DocumentTask task = task(Objective.CLASSIFICATION, Views.HALVES);
        var source = task.batches();
        int train = task.data().train().size();
        assertEquals(train / 4, source.batchesPerEpoch());
        Batch b = source.batch(0, 1);
        assertEquals(4, b.examples());
        INDArray y = b.placeholders().get(DocumentTask.LABELS);
        assertEquals(4.0, y.sumNumber().doubleValue(), 0, "one 1 a row");
        INDArray s = b.placeholders().get(DocumentLayers.SENTENCES);
        assertEquals(s, task.batches().batch(0, 1).placeholders().get(DocumentLayers.SENTENCES), "same epoch, index");
        assertNotEquals(
                y.add(s.sum(1).reshape(-1).getDouble(4)),
                source.batch(1, 1)
                        .placeholders()
                        .get(DocumentTask.LABELS)
                        .add(source.batch(1, 1)
                                .placeholders()
                                .get(DocumentLayers.SENTENCES)
                                .sum(1)
                                .reshape(-1)
                                .getDouble(4)),
                "another epoch, another order");
        // Four documents of three sentences: T = 4 rows each, the [DOC] slot first.
        assertEquals(16, s.rows());
        assertEquals(
                List.of(1.0, 0.0, 0.0, 0.0),
                List.of(
                        b.placeholders().get(DocumentLayers.SLOT).getDouble(0),
                        b.placeholders().get(DocumentLayers.SLOT).getDouble(1),
                        b.placeholders().get(DocumentLayers.SLOT).getDouble(2),
                        b.placeholders().get(DocumentLayers.SLOT).getDouble(3)));
    }

    @Test
    void viewsAreTheDocumentsSentenceIndices() throws Exception {
        int[][] alt = task(Objective.CONTRASTIVE, Views.ALTERNATE).views(5);
        assertEquals(List.of(List.of(0, 2, 4), List.of(1, 3)), lists(alt));
        assertEquals(
                List.of(List.of(0, 1, 2), List.of(3, 4)),
                lists(task(Objective.CONTRASTIVE, Views.HALVES).views(5)));
        DocumentTask overlapping = task(Objective.CONTRASTIVE, Views.OVERLAPPING);
        assertEquals(
                List.of(List.of(0, 1, 2, 3), List.of(2, 3, 4, 5)), lists(overlapping.views(6)), "share the middle");
        assertEquals(List.of(List.of(0), List.of(1)), lists(overlapping.views(2)), "two sentences: halves");
    }

    private static List<List<Integer>> lists(int[][] views) {
        return java.util.Arrays.stream(views)
                .map(v -> java.util.Arrays.stream(v).boxed().toList())
                .toList();
    }

    @Test
    void aFineTunedSentenceEncoderStartsFromTheFrozenLossAndItsGradientsMatchTheOracle() throws Exception {
        for (Objective objective : Objective.values()) {
            DocumentTask frozen = task(objective, Views.HALVES);
            DocumentTask tuned = task(objective, Views.HALVES, null, SentenceEncoding.FINE_TUNED);
            List<Document> docs = tuned.data().train().subList(0, 3);
            Batch batch = tuned.toBatch(docs);
            int sentences = docs.stream()
                    .mapToInt(d -> tuned.data().sentences(d).length)
                    .sum();
            assertEquals(
                    sentences, // the two views of contrastive halves cover each sentence once
                    batch.sequences().size(),
                    "each sentence of the batch's documents is one encoder row");
            assertTrue(!batch.placeholders().containsKey(DocumentLayers.SENTENCES), "no cached vectors fed");
            // The same head weights (seeded by name) over the encoder's vectors of the same sentences: the loss that
            // the frozen task computes from its cached vectors. TaskLosses also checks that the gradient reaches the
            // encoder's top layer.
            double want = loss(frozen, frozen.toBatch(docs), new HashMap<>());
            assertEquals(want, TaskLosses.graphLoss(tuned, batch, model()), 1e-4, objective.toString());
            DocumentTask checked = tuned;
            if (objective == Objective.CONTRASTIVE) {
                // With the [DOC] slot, the tiny model's documents (the same sentences, reordered) start with one
                // document vector and a loss of log B to 1e-8: every gradient is rounding noise. Attention pooling
                // averages the sentence outputs, so its vectors differ from the start (loss 1.31 against log 3).
                checked = task(
                        objective,
                        Views.HALVES,
                        null,
                        SentenceEncoding.FINE_TUNED,
                        DocumentConfig.DocumentPooling.ATTENTION);
                batch = checked.toBatch(docs);
                assertTrue(
                        TaskLosses.graphLoss(checked, batch, model()) > Math.log(docs.size()) + 0.1,
                        "a start away from the uniform softmax");
            }
            Map<String, Double> errors = TaskHarness.engineGradientErrors(checked, batch, model());
            assertTrue(
                    errors.keySet().stream().anyMatch(n -> n.startsWith("encoder.layer.")), errors.keySet()::toString);
            assertTrue(errors.keySet().stream().anyMatch(n -> n.startsWith("head.doc.")), errors.keySet()::toString);
            errors.remove("head.doc.layer0.key.bias"); // analytically zero, as the encoder's: both are rounding noise
            errors.forEach((name, err) -> assertTrue(err < 1e-3, objective + " " + name + ": relative error " + err));
        }
    }

    @Test
    void evaluationRunsTheTrainedGraphsHeadOverTheDocumentsAndNamesEveryMetric() throws Exception {
        List<String> perVectors = List.of("p@10", "kmeans_ari", "kmeans_v_measure", "probe_accuracy");
        for (Objective objective : Objective.values()) {
            DocumentTask task = task(objective, Views.HALVES, List.of(Baseline.values()));
            Map<String, INDArray> p = new HashMap<>();
            loss(task, task.toBatch(task.data().train().subList(0, 3)), p); // the head weights buildLoss starts from
            ReferenceDocumentLayers ref = new ReferenceDocumentLayers(p, task.shape());
            List<Document> eval = task.data().eval();
            int[] evalY = task.data().labelsOf(eval);
            try (TaskHarness.Evaluation e = TaskHarness.evaluation(task, model())) {
                boolean classification = objective == Objective.CLASSIFICATION;
                Map<String, INDArray> out = classification
                        ? e.head().run(task.documents(eval), DocumentTask.VECTORS, DocumentTask.LOGITS)
                        : e.head().run(task.documents(eval), DocumentTask.VECTORS);
                float[][] vectors = out.get(DocumentTask.VECTORS).toFloatMatrix();
                int right = 0;
                for (int d = 0; d < eval.size(); d++) {
                    double[] want = ref.documentVector(task.data().sentences(eval.get(d)));
                    for (int j = 0; j < want.length; j++) {
                        assertEquals(want[j], vectors[d][j], 1e-5, objective + " doc " + d + " dim " + j);
                    }
                    if (classification) {
                        double[] z = new double[2];
                        for (int c = 0; c < 2; c++) {
                            z[c] = p.get("classifier.bias").getDouble(0, c);
                            for (int j = 0; j < want.length; j++) {
                                z[c] += want[j] * p.get("classifier.weight").getDouble(j, c);
                            }
                            assertEquals(z[c], out.get(DocumentTask.LOGITS).getDouble(d, c), 1e-5);
                        }
                        right += (z[1] > z[0] ? 1 : 0) == evalY[d] ? 1 : 0;
                    }
                }
                Map<String, Double> m = task.evaluate(e);
                List<String> want =
                        new ArrayList<>(classification ? List.of("doc.accuracy", "doc.macro_f1") : List.of());
                for (String name : List.of("doc", "mean", "mean_centred", "tfidf", "bert512_cls", "bert512_mean")) {
                    perVectors.stream()
                            .filter(k -> !name.startsWith("bert512") || !k.equals("probe_accuracy"))
                            .forEach(k -> want.add(name + "." + k));
                }
                assertEquals(want, new ArrayList<>(m.keySet()), org.taskbert.spi.config.ConfigChecks.name(objective));
                assertEquals(
                        Retrieval.precisionAtK(vectors, evalY, Math.min(10, eval.size() - 1)),
                        m.get("doc.p@10"),
                        1e-12);
                if (classification) {
                    assertEquals((double) right / eval.size(), m.get("doc.accuracy"), 1e-12);
                }
                assertEquals(m, task.evaluate(e), "the same weights, the same metrics (baselines computed once)");
            }
        }
    }

    static double[] unit(double[] x) {
        double n = Math.sqrt(dot(x, x));
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / n;
        }
        return out;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
