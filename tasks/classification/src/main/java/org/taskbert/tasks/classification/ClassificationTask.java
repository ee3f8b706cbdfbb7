package org.taskbert.tasks.classification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.analysis.LogisticProbe;
import org.taskbert.encoder.BertInputs;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.Tensor;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.HeadWeights;
import org.taskbert.task.Task;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;
import org.taskbert.tokenize.Encoding;

/**
 * A text (or a pair, [CLS] a [SEP] b [SEP]) to one of C classes: logits = pooled·W + b (W [H, C] initialised
 * normal(0, 0.02), b zero), softmax cross-entropy against the one-hot label. Each epoch is the training set in a
 * fresh seeded order. Evaluation: accuracy and macro-F1 (×100) of the argmax on dev, and on test if there is one,
 * at the training's maximum length.
 */
final class ClassificationTask implements Task {

    private static final Logger LOG = LoggerFactory.getLogger(ClassificationTask.class);
    static final String LABELS = "classification.labels";
    static final String WEIGHT = "classifier.weight";
    static final String BIAS = "classifier.bias";

    private final TaskContext ctx;
    private final ClassificationData data;
    private final Pooling pooling;

    ClassificationTask(ClassificationConfig cfg, ClassificationData data, TaskContext ctx) {
        this.ctx = ctx;
        this.data = data;
        this.pooling = Pooling.parse(cfg.pooling());
        LOG.info("classification: {} classes {}\n{}", data.labels().size(), data.labels(), data.describe());
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        int h = ctx.model().config().hiddenSize();
        int c = data.labels().size();
        SDVariable pooled = g.encoder().pool(pooling);                                          // [N, H]
        SDVariable logits = sd.mmul(pooled, g.headWeight(WEIGHT, ctx.seed(), 0.02, h, c))
                .add(g.headWeight(BIAS, ctx.seed(), 0, c));                                     // [N, C]
        SDVariable y = g.placeholder(LABELS, DataType.FLOAT, -1, c);                           // one-hot
        return sd.mean("loss", g.logSumExp(logits).sub(sd.sum(logits.mul(y), 1)));
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(data.train().size(), ctx.batchSize(), this::epoch, this::toBatch);
    }

    /** The training set in the epoch's order. */
    List<LabelledText> epoch(long epoch) {
        List<LabelledText> order = new ArrayList<>(data.train());
        Collections.shuffle(order, new Random(ctx.seed() + 1_000_003L * epoch));
        return order;
    }

    Batch toBatch(List<LabelledText> examples) {
        List<Encoding> rows = new ArrayList<>();
        float[][] y = new float[examples.size()][data.labels().size()];
        for (int i = 0; i < examples.size(); i++) {
            LabelledText e = examples.get(i);
            rows.add(e.isPair() ? ctx.tokenizer().encodePair(e.text(), e.textPair(), ctx.maxLength())
                    : ctx.tokenizer().encode(e.text(), ctx.maxLength()));
            y[i][data.labels().indexOf(e.label())] = 1;
        }
        Map<String, INDArray> ph = new HashMap<>(BertInputs.of(rows, ctx.model().config().maxPositions()));
        ph.put(LABELS, Nd4j.createFromArray(y));
        return new Batch(ph, rows.size(), BertInputs.time(rows), rows.size());
    }

    @Override
    public Map<String, Double> evaluate(TextEncoder current, HeadWeights head) {
        // At the training's length: the head learnt from the first max_length tokens (and 512 costs 4× or more).
        TextEncoder enc = new TextEncoder(current.model(), current.encoder(),
                Math.min(ctx.maxLength(), current.model().config().maxPositions()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String part : List.of("dev", "test")) {
            List<LabelledText> examples = part.equals("dev") ? data.dev() : data.test();
            if (!examples.isEmpty()) {
                ClassificationMetrics m = metrics(enc, examples, head.get(WEIGHT), head.get(BIAS));
                metrics.put(part + ".accuracy", 100 * m.accuracy());
                metrics.put(part + ".macro_f1", 100 * m.macroF1());
            }
        }
        return metrics;
    }

    /**
     * A logistic-regression probe on the training split's fixed vectors (L2 picked on a held-out fifth of it), scored
     * on dev and test as the fine-tuned head is. A text pair's features are [u, v, |u−v|, u⊙v].
     */
    @Override
    public java.util.Optional<org.taskbert.task.EmbeddingEvaluation> embeddingEvaluation() {
        List<List<LabelledText>> parts = List.of(data.train(), data.dev(), data.test());
        List<String> texts = new ArrayList<>();
        parts.forEach(part -> part.forEach(e -> texts.add(e.text())));
        boolean pairs = data.train().get(0).isPair();
        if (pairs) {
            parts.forEach(part -> part.forEach(e -> texts.add(e.textPair())));
        }
        int examples = texts.size() / (pairs ? 2 : 1);
        int[] gold = parts.stream().flatMap(List::stream).mapToInt(e -> data.labels().indexOf(e.label())).toArray();
        String method = "logistic probe (L2 from " + java.util.Arrays.toString(PROBE_L2) + " on a fifth of train) on "
                + data.train().size() + " train, scored on " + data.dev().size() + " dev and " + data.test().size()
                + " test" + (pairs ? " pairs, features [u, v, |u-v|, u*v]" : " texts");
        // A pair's two texts are not contiguous, so nothing is fitted on "the first n texts" then.
        return java.util.Optional.of(new org.taskbert.task.EmbeddingEvaluation(texts, ctx.maxLength(),
                pairs ? 0 : data.train().size(), method, v -> probe(pairs ? pairFeatures(v, examples) : v, gold)));
    }

    /** The probe trained on the training rows of x, scored on the dev and test rows. */
    private Map<String, Double> probe(float[][] x, int[] gold) {
        int n = data.train().size();
        LogisticProbe probe = LogisticProbe.trainWithValidation(java.util.Arrays.copyOfRange(x, 0, n),
                java.util.Arrays.copyOfRange(gold, 0, n), data.labels().size(), PROBE_L2, 0.2, ctx.seed());
        Map<String, Double> metrics = new LinkedHashMap<>();
        int from = n;
        for (String part : List.of("dev", "test")) {
            int to = from + (part.equals("dev") ? data.dev() : data.test()).size();
            if (to > from) {
                ClassificationMetrics m = ClassificationMetrics.of(java.util.Arrays.copyOfRange(gold, from, to),
                        probe.predict(java.util.Arrays.copyOfRange(x, from, to)), data.labels().size());
                metrics.put(part + ".accuracy", 100 * m.accuracy());
                metrics.put(part + ".macro_f1", 100 * m.macroF1());
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

    ClassificationMetrics metrics(TextEncoder enc, List<LabelledText> examples, Tensor weight, Tensor bias) {
        List<String> a = examples.stream().map(LabelledText::text).toList();
        float[][] pooled = examples.get(0).isPair()
                ? enc.embedPairs(a, examples.stream().map(LabelledText::textPair).toList(), EnumSet.of(pooling),
                        Encoder.Progress.NONE).get(pooling)
                : enc.embed(a, EnumSet.of(pooling), false, Encoder.Progress.NONE).get(pooling);
        int[] gold = examples.stream().mapToInt(e -> data.labels().indexOf(e.label())).toArray();
        return ClassificationMetrics.of(gold, predict(pooled, weight, bias), data.labels().size());
    }

    ClassificationData data() {
        return data;
    }

    /** argmax over classes of pooled·W + b, W [H, C] row-major. */
    static int[] predict(float[][] pooled, Tensor weight, Tensor bias) {
        int c = bias.data().length;
        float[] w = weight.data();
        int[] out = new int[pooled.length];
        for (int i = 0; i < pooled.length; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                double z = bias.data()[k];
                for (int d = 0; d < pooled[i].length; d++) {
                    z += (double) pooled[i][d] * w[d * c + k];
                }
                if (z > best) {
                    best = z;
                    out[i] = k;
                }
            }
        }
        return out;
    }
}
