package org.taskbert.tasks.classification;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.HeadRunner;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.eval.ClassificationMetrics;
import org.taskbert.spi.eval.LogisticProbe;
import org.taskbert.spi.loss.Losses;

/**
 * A text (or a pair, [CLS] a [SEP] b [SEP]) to one of C classes: logits = pooled·W + b (W [H, C] initialised
 * normal(0, 0.02), b zero), softmax cross-entropy against the one-hot label. Each epoch is the training set in a
 * fresh seeded order. Evaluation: accuracy and macro-F1 (×100) of the head's argmax on dev, and on test if there is
 * one, at the training's maximum length.
 */
final class ClassificationTask implements Task {

    private static final Logger LOG = LoggerFactory.getLogger(ClassificationTask.class);
    static final String LABELS = "classification.labels";
    static final String LOGITS = "classification.logits";
    static final String WEIGHT = "classifier.weight";
    static final String BIAS = "classifier.bias";
    /** Examples per head pass in evaluation. */
    static final int EVAL_BATCH = 64;

    private final TaskContext ctx;
    private final ClassificationData data;
    private final Pooling pooling;

    ClassificationTask(ClassificationConfig cfg, ClassificationData data, TaskContext ctx) {
        this.ctx = ctx;
        this.data = data;
        this.pooling = cfg.pooling();
        LOG.info("classification: {} classes {}\n{}", data.labels().size(), data.labels(), data.describe());
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        int h = ctx.model().hiddenSize();
        int c = data.labels().size();
        SDVariable pooled = g.encoder().pool(pooling); // [N, H]
        SDVariable logits = g.output(
                LOGITS,
                sd.mmul(pooled, g.headWeight(WEIGHT, ctx.seed(), 0.02, h, c))
                        .add(g.headWeight(BIAS, ctx.seed(), 0, c))); // [N, C]
        return Losses.softmaxCrossEntropy(logits, g.placeholder(LABELS, DataType.FLOAT, -1, c));
    }

    @Override
    public BatchSource batches() {
        return BatchSource.shuffled(data.train(), data.train().size(), ctx.batchSize(), ctx.seed(), this::toBatch);
    }

    /** The examples' sequences (the training's max_length) and their one-hot labels. */
    Batch toBatch(List<LabelledText> examples) {
        BatchBuilder b = new BatchBuilder();
        for (LabelledText e : examples) {
            b.add(
                    e.isPair()
                            ? ctx.tokenizer().encodePair(e.text(), e.textPair(), ctx.maxLength())
                            : ctx.tokenizer().encode(e.text(), ctx.maxLength(), pooling));
        }
        return b.oneHot(LABELS, gold(examples), data.labels().size()).build(examples.size());
    }

    /** Each example's class index. */
    private int[] gold(List<LabelledText> examples) {
        return examples.stream().mapToInt(e -> data.labels().indexOf(e.label())).toArray();
    }

    @Override
    public Map<String, Double> evaluate(EvaluationContext context) {
        // At the training's length: the head learnt from the first max_length tokens (and 512 costs 4× or more).
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String part : List.of("dev", "test")) {
            List<LabelledText> examples = part.equals("dev") ? data.dev() : data.test();
            if (!examples.isEmpty()) {
                put(
                        metrics,
                        part,
                        ClassificationMetrics.of(
                                gold(examples),
                                predict(context.head(), examples),
                                data.labels().size()));
            }
        }
        return metrics;
    }

    /** The argmax of the head's logits for each example. */
    int[] predict(HeadRunner head, List<LabelledText> examples) {
        int[] out = new int[examples.size()];
        for (int from = 0; from < examples.size(); from += EVAL_BATCH) {
            List<LabelledText> chunk = examples.subList(from, Math.min(examples.size(), from + EVAL_BATCH));
            INDArray best = Nd4j.argMax(head.run(toBatch(chunk), LOGITS).get(LOGITS), 1); // [n]
            for (int i = 0; i < chunk.size(); i++) {
                out[from + i] = best.getInt(i);
            }
        }
        return out;
    }

    private static void put(Map<String, Double> metrics, String part, ClassificationMetrics m) {
        metrics.put(part + ".accuracy", 100 * m.accuracy());
        metrics.put(part + ".macro_f1", 100 * m.macroF1());
    }

    /**
     * A logistic-regression probe on the training split's fixed vectors (L2 picked on a held-out fifth of it), scored
     * on dev and test as the fine-tuned head is. A text pair's features are [u, v, |u−v|, u⊙v].
     */
    @Override
    public Optional<EmbeddingEvaluation> embeddingEvaluation() {
        List<List<LabelledText>> parts = List.of(data.train(), data.dev(), data.test());
        List<String> texts = new ArrayList<>();
        parts.forEach(part -> part.forEach(e -> texts.add(e.text())));
        boolean pairs = data.train().get(0).isPair();
        if (pairs) {
            parts.forEach(part -> part.forEach(e -> texts.add(e.textPair())));
        }
        int examples = texts.size() / (pairs ? 2 : 1);
        int[] gold = parts.stream()
                .flatMap(List::stream)
                .mapToInt(e -> data.labels().indexOf(e.label()))
                .toArray();
        String method = "logistic probe (L2 from " + Arrays.toString(PROBE_L2) + " on a fifth of train) on "
                + data.train().size() + " train, scored on " + data.dev().size() + " dev and "
                + data.test().size()
                + " test" + (pairs ? " pairs, features [u, v, |u-v|, u*v]" : " texts");
        // A pair's two texts are not contiguous, so nothing is fitted on "the first n texts" then.
        return Optional.of(new EmbeddingEvaluation(
                texts,
                ctx.maxLength(),
                pairs ? 0 : data.train().size(),
                method,
                v -> probe(pairs ? pairFeatures(v, examples) : v, gold)));
    }

    /** The probe trained on the training rows of x, scored on the dev and test rows. */
    private Map<String, Double> probe(float[][] x, int[] gold) {
        int n = data.train().size();
        LogisticProbe probe = LogisticProbe.trainWithValidation(
                Arrays.copyOfRange(x, 0, n),
                Arrays.copyOfRange(gold, 0, n),
                data.labels().size(),
                PROBE_L2,
                0.2,
                ctx.seed());
        Map<String, Double> metrics = new LinkedHashMap<>();
        int from = n;
        for (String part : List.of("dev", "test")) {
            int to = from + (part.equals("dev") ? data.dev() : data.test()).size();
            if (to > from) {
                ClassificationMetrics m = ClassificationMetrics.of(
                        Arrays.copyOfRange(gold, from, to),
                        probe.predict(Arrays.copyOfRange(x, from, to)),
                        data.labels().size());
                put(metrics, part, m);
            }
            from = to;
        }
        return metrics;
    }

    private static final double[] PROBE_L2 = {1e-4, 1e-3, 1e-2, 1e-1, 1};

    /** [u, v, |u−v|, u⊙v] of example i, whose first text's vector is row i and second's row examples + i. */
    static float[][] pairFeatures(float[][] v, int examples) {
        int h = v[0].length;
        float[][] x = new float[examples][4 * h];
        for (int i = 0; i < examples; i++) {
            float[] u = v[i];
            float[] w = v[examples + i];
            for (int d = 0; d < h; d++) {
                x[i][d] = u[d];
                x[i][h + d] = w[d];
                x[i][2 * h + d] = Math.abs(u[d] - w[d]);
                x[i][3 * h + d] = u[d] * w[d];
            }
        }
        return x;
    }

    ClassificationData data() {
        return data;
    }
}
