package org.taskbert.tasks.document;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.HeadRunner;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.loss.Losses;
import org.taskbert.tasks.document.DocumentConfig.DocumentPooling;
import org.taskbert.tasks.document.DocumentConfig.Objective;
import org.taskbert.tasks.document.DocumentConfig.SentenceEncoding;

/**
 * The note's extra attention layer. Each document's first {@code max_sentences} sentences are encoded alone by the
 * sentence encoder: frozen (once, cached: {@link DocumentData}) or fine-tuned (the batch's sentences go through the
 * encoder with the head, so its top layers train through the document layers); one or two self-attention layers
 * over these vectors,
 * with sentence-index positions and a learned [DOC] slot, give the document vector ({@link DocumentLayers}).
 * {@code classification}: a dense layer to the topics, cross-entropy. {@code contrastive}: two parts of a document
 * ({@code views}) are encoded as two documents; each part's partner against the other documents of the batch,
 * softmax over cosine / temperature, both ways. Evaluation compares the document vectors with the mean of their own sentence
 * vectors, TF-IDF and BERT over the first 512 tokens ({@link DocumentBaselines}).
 *
 * <p>Frozen, the head reads no encoder output: its batches hold no sequences, only the document layers'
 * placeholders. Fine-tuned, the batches hold the sentences as sequences and the head pools them itself.
 */
final class DocumentTask implements Task {

    static final String LABELS = "document.labels";
    static final String VIEW_A = "document.view_a";
    static final String VIEW_B = "document.view_b";
    /** The document vectors [B, H] and (classification) the topic logits [B, C], for {@link HeadRunner#run}. */
    static final String VECTORS = "document.vectors";

    static final String LOGITS = "document.logits";
    private static final int EVAL_BATCH = 64;

    private final DocumentConfig cfg;
    private final TaskContext ctx;
    private final boolean contrastive;
    private final boolean fineTuned;
    private final DocumentLayers.Shape shape;
    private final DocumentData data;
    private Map<String, Double> baselines;

    DocumentTask(DocumentConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.contrastive = cfg.objective() == Objective.CONTRASTIVE;
        this.fineTuned = cfg.sentenceEncoder() == SentenceEncoding.FINE_TUNED;
        int h = ctx.model().hiddenSize();
        int heads = cfg.heads() != null ? cfg.heads() : ctx.model().numHeads();
        if (h % heads != 0) {
            throw new ConfigException("field 'task.heads': " + heads + " does not divide the hidden size " + h);
        }
        this.shape = new DocumentLayers.Shape(
                h,
                heads,
                cfg.ffnSize() != null ? cfg.ffnSize() : 4 * h,
                cfg.layers(),
                cfg.maxSentences() + 1,
                cfg.documentPooling() == DocumentPooling.ATTENTION);
        this.data = new DocumentData(cfg, ctx);
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        DocumentLayers.Params params = (name, std, dims) -> g.headWeight(name, ctx.seed(), std, dims);
        SDVariable doc = g.output(
                VECTORS,
                fineTuned
                        ? DocumentLayers.documentVectors(sd, params, shape, encodedSentences(g))
                        : DocumentLayers.documentVectors(sd, params, shape)); // [B, H]
        if (!contrastive) {
            int c = data.labels().size();
            SDVariable logits = g.output(
                    LOGITS,
                    sd.mmul(doc, g.headWeight("classifier.weight", ctx.seed(), 0.02, shape.hidden(), c))
                            .add(g.headWeight("classifier.bias", ctx.seed(), 0, 1, c)));
            return Losses.softmaxCrossEntropy(logits, g.placeholder(LABELS, DataType.FLOAT, -1, c));
        }
        // Rows 0..B−1 are the first views, B..2B−1 the second (picked by the batch's 0/1 matrices).
        SDVariable u = Losses.normalize(g.select(VIEW_A, doc));
        SDVariable v = Losses.normalize(g.select(VIEW_B, doc));
        return Losses.symmetricInBatchContrastive(u, v, 1 / cfg.temperature());
    }

    /**
     * The encoder's pooled vectors of the batch's sentences, less the frozen vectors' training mean (as the frozen
     * inputs are), placed at their document rows: [B·T, H].
     */
    private SDVariable encodedSentences(TaskGraph g) {
        SDVariable centre = g.sd().constant(Nd4j.createFromArray(data.centre()).reshape(1, shape.hidden()));
        SDVariable pooled = g.encoder().pool(cfg.sentencePooling()).sub(centre);
        return g.sd().mmul(g.placeholder(DocumentLayers.SCATTER, DataType.FLOAT, -1, -1), pooled);
    }

    @Override
    public BatchSource batches() {
        List<Document> pool = contrastive
                ? data.train().stream()
                        .filter(d -> data.sentences(d).length >= 2)
                        .toList()
                : data.train();
        if (pool.size() < (contrastive ? 2 : 1)) {
            throw new IllegalArgumentException(
                    cfg.corpus() + ": no training documents" + (contrastive ? " with two sentences or more" : ""));
        }
        return BatchSource.shuffled(pool, pool.size(), ctx.batchSize(), ctx.seed(), this::toBatch);
    }

    /** Some of a document's sentences (by index among its first max_sentences), as one input of the layers. */
    private record Part(Document doc, int[] sentences) {}

    Batch toBatch(List<Document> docs) {
        int b = docs.size();
        if (!contrastive) {
            return inputs(docs.stream().map(this::whole).toList())
                    .oneHot(LABELS, data.labelsOf(docs), data.labels().size())
                    .build(b);
        }
        List<Part> rows = new ArrayList<>();
        List<Part> second = new ArrayList<>();
        for (Document d : docs) {
            int[][] views = views(data.sentences(d).length);
            rows.add(new Part(d, views[0]));
            second.add(new Part(d, views[1]));
        }
        rows.addAll(second);
        float[][] a = new float[b][2 * b];
        float[][] c = new float[b][2 * b];
        for (int i = 0; i < b; i++) {
            a[i][i] = 1;
            c[i][b + i] = 1;
        }
        return inputs(rows)
                .put(VIEW_A, Nd4j.createFromArray(a))
                .put(VIEW_B, Nd4j.createFromArray(c))
                .build(b);
    }

    private Part whole(Document d) {
        return new Part(d, IntStream.range(0, data.sentences(d).length).toArray());
    }

    /**
     * The document layers' inputs for these parts: their cached sentence vectors (frozen), or their sentences as
     * the batch's sequences, encoded with the head (fine-tuned).
     */
    private BatchBuilder inputs(List<Part> parts) {
        BatchBuilder builder = new BatchBuilder();
        if (fineTuned) {
            for (Part p : parts) {
                for (int i : p.sentences()) {
                    builder.add(
                            ctx.tokenizer().encode(p.doc().sentences().get(i), cfg.maxLength(), cfg.sentencePooling()));
                }
            }
            int[] counts = parts.stream().mapToInt(p -> p.sentences().length).toArray();
            DocumentLayers.encodedInputs(counts, shape.positions()).forEach(builder::put);
            return builder;
        }
        List<float[][]> vectors = new ArrayList<>();
        for (Part p : parts) {
            float[][] all = data.sentences(p.doc());
            vectors.add(Arrays.stream(p.sentences()).mapToObj(i -> all[i]).toArray(float[][]::new));
        }
        DocumentLayers.inputs(vectors, shape.positions(), shape.hidden()).forEach(builder::put);
        return builder;
    }

    /** The documents as a batch to run the head on (their vectors and logits need no labels). */
    Batch documents(List<Document> docs) {
        return inputs(docs.stream().map(this::whole).toList()).build(docs.size());
    }

    /**
     * Two non-empty parts of a document of {@code n} sentences (at least two), as sentence indices: {@code halves}
     * (first and second half), {@code alternate} (even and odd sentences) or {@code overlapping} (the first and the
     * last two thirds, which share the middle third; halves below 3 sentences).
     */
    int[][] views(int n) {
        return switch (cfg.views()) {
            case HALVES ->
                new int[][] {
                    IntStream.range(0, (n + 1) / 2).toArray(),
                    IntStream.range((n + 1) / 2, n).toArray()
                };
            case ALTERNATE ->
                new int[][] {
                    IntStream.range(0, n).filter(i -> i % 2 == 0).toArray(),
                    IntStream.range(0, n).filter(i -> i % 2 == 1).toArray()
                };
            case OVERLAPPING -> {
                int third = Math.max(1, n / 3);
                yield new int[][] {
                    IntStream.range(0, n - third).toArray(),
                    IntStream.range(third, n).toArray()
                };
            }
        };
    }

    @Override
    public Map<String, Double> evaluate(EvaluationContext context) throws IOException {
        List<Document> trainDocs = data.trainOriginals();
        int[] evalY = data.labelsOf(data.eval());
        int c = data.labels().size();
        Map<String, Double> m = new LinkedHashMap<>();
        float[][][] evalOut =
                run(context.head(), data.eval(), contrastive ? new String[] {VECTORS} : new String[] {VECTORS, LOGITS});
        if (!contrastive) {
            int[] predicted = new int[evalY.length];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = argmax(evalOut[1][i]);
            }
            m.putAll(TopicMetrics.classification("doc", evalY, predicted, c));
        }
        m.putAll(TopicMetrics.of(
                "doc",
                run(context.head(), trainDocs, VECTORS)[0],
                data.labelsOf(trainDocs),
                evalOut[0],
                evalY,
                c,
                cfg.kmeansRestarts(),
                cfg.splitSeed()));
        if (baselines == null) {
            baselines = DocumentBaselines.of(cfg, data, context.encoder());
        }
        m.putAll(baselines);
        return m;
    }

    /** The named head outputs for the documents, in batches: [output][document][dim]. */
    private float[][][] run(HeadRunner head, List<Document> docs, String... names) {
        float[][][] out = new float[names.length][docs.size()][];
        for (int from = 0; from < docs.size(); from += EVAL_BATCH) {
            List<Document> part = docs.subList(from, Math.min(docs.size(), from + EVAL_BATCH));
            Map<String, INDArray> result = head.run(documents(part), names);
            for (int o = 0; o < names.length; o++) {
                float[][] matrix = result.get(names[o]).toFloatMatrix();
                System.arraycopy(matrix, 0, out[o], from, matrix.length);
            }
        }
        return out;
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }

    DocumentData data() {
        return data;
    }

    DocumentLayers.Shape shape() {
        return shape;
    }
}
