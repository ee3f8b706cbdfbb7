package org.taskbert.tasks.document;

import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.analysis.TfIdf;
import org.taskbert.config.ConfigException;
import org.taskbert.corpus.Corpus;
import org.taskbert.corpus.Document;
import org.taskbert.corpus.DocumentSplit;
import org.taskbert.corpus.SentenceSplitter;
import org.taskbert.corpus.TopicSentences;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.HeadWeights;
import org.taskbert.task.Task;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;

/**
 * The note's extra attention layer. Each document's first {@code max_sentences} sentences are encoded alone by the
 * frozen sentence encoder (once, cached); one or two self-attention layers over these vectors, with sentence-index
 * positions and a learned [DOC] slot, give the document vector ({@link DocumentLayers}). {@code classification}: a
 * dense layer to the topics, cross-entropy. {@code contrastive}: two disjoint parts of a document are encoded as two
 * documents; each part's partner against the other documents of the batch, softmax over cosine / temperature, both
 * ways. Evaluation compares the document vectors with the mean of their own sentence vectors, TF-IDF and BERT over
 * the first 512 tokens.
 *
 * <p>Documents without any sentence are skipped (counted in the log, {@link #skippedEmpty()}); a document without a
 * label is an error. The split is {@link TopicSentences#splitByDocument} with {@code split_seed}: stratified by label,
 * exact copies with their original; copies are then dropped from the evaluation split.
 */
final class DocumentTask implements Task {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentTask.class);
    static final String LABELS = "document.labels";
    static final String VIEW_A = "document.view_a";
    static final String VIEW_B = "document.view_b";
    static final String TARGETS = "document.targets";
    private static final int EVAL_BATCH = 64;

    private final DocumentConfig cfg;
    private final TaskContext ctx;
    private final boolean contrastive;
    private final List<Document> train;
    private final List<Document> eval;
    private final List<String> labels;
    /** Sentence vectors less the training split's mean sentence vector, by document id. */
    private final Map<String, float[][]> sentences;
    private float[] centre;
    private final DocumentLayers.Shape shape;
    private final int skippedEmpty;
    private Map<String, Double> baselines;

    DocumentTask(DocumentConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.contrastive = cfg.objective().equals("contrastive");
        List<Document> docs = new ArrayList<>();
        int empty = 0;
        for (Document d : Corpus.read(cfg.corpus(), new SentenceSplitter(new ULocale(cfg.locale())), cfg.maxDocs())) {
            if (d.sentences().isEmpty()) {
                empty++;
            } else if (d.label() == null) {
                throw new IllegalArgumentException(cfg.corpus() + ": document '" + d.id() + "' has no label");
            } else {
                docs.add(d);
            }
        }
        this.skippedEmpty = empty;
        if (empty > 0) {
            LOG.warn("{}: {} document(s) without sentences skipped", cfg.corpus(), empty);
        }
        this.labels = List.copyOf(new TreeSet<>(docs.stream().map(Document::label).toList()));
        if (labels.size() < 2) {
            throw new IllegalArgumentException(cfg.corpus() + ": need documents of at least 2 labels, found " + labels);
        }
        DocumentSplit split = split(docs, cfg.testFraction(), cfg.splitSeed());
        this.train = split.train();
        this.eval = split.test();
        if (train.isEmpty() || eval.size() < 2) {
            throw new IllegalArgumentException(cfg.corpus() + ": too few documents (" + docs.size() + ") for a "
                    + cfg.testFraction() + " evaluation split");
        }
        int h = ctx.model().config().hiddenSize();
        int heads = cfg.heads() != null ? cfg.heads() : ctx.model().config().numHeads();
        if (h % heads != 0) {
            throw new ConfigException("field 'task.heads': " + heads + " does not divide the hidden size " + h);
        }
        this.shape = new DocumentLayers.Shape(h, heads, cfg.ffnSize() != null ? cfg.ffnSize() : 4 * h, cfg.layers(),
                cfg.maxSentences() + 1, cfg.documentPooling().equals("attention"));
        this.sentences = centred(sentenceVectors(docs), train);
        LOG.info("{} training and {} evaluation documents, labels {}", train.size(), eval.size(), labels);
    }

    /**
     * Training and evaluation documents: stratified by label, exact copies on the side of their original (seeded,
     * independent of the input order); the copies are then dropped from the evaluation side.
     */
    static DocumentSplit split(List<Document> docs, double testFraction, long seed) {
        DocumentSplit split = TopicSentences.splitByDocument(docs, testFraction, seed);
        return new DocumentSplit(split.train(), split.test().stream().filter(d -> !d.isDuplicate()).toList());
    }

    /** The frozen sentence vectors of every document's first max_sentences sentences, from the cache if there. */
    private Map<String, float[][]> sentenceVectors(List<Document> docs) throws IOException {
        Map<String, List<String>> capped = new LinkedHashMap<>();
        for (Document d : docs) {
            List<String> s = d.sentences();
            capped.put(d.id(), List.copyOf(s.subList(0, Math.min(s.size(), cfg.maxSentences()))));
        }
        Pooling pooling = Pooling.parse(cfg.sentencePooling());
        String key = "model=" + SentenceVectors.modelFingerprint(ctx.model()) + ";pooling=" + pooling.id()
                + ";max_length=" + cfg.maxLength();
        return SentenceVectors.load(capped, key, cfg.cacheDir(), texts -> {
            try (TextEncoder enc = TextEncoder.open(ctx.model(), Encoder.DEFAULT_BATCH_SIZE, cfg.maxLength())) {
                return enc.embed(texts, EnumSet.of(pooling), false, progress(texts.size())).get(pooling);
            }
        });
    }

    /**
     * The vectors less the mean sentence vector of the training documents. BERT's sentence vectors share one large
     * common direction; taken out, what tells sentences apart is what the document layers' input LayerNorm scales up.
     */
    private Map<String, float[][]> centred(Map<String, float[][]> raw, List<Document> trainDocs) {
        int h = shape.hidden();
        double[] sum = new double[h];
        long n = 0;
        for (Document d : trainDocs) {
            for (float[] v : raw.get(d.id())) {
                for (int j = 0; j < h; j++) {
                    sum[j] += v[j];
                }
                n++;
            }
        }
        centre = new float[h];
        for (int j = 0; j < h; j++) {
            centre[j] = (float) (sum[j] / n);
        }
        Map<String, float[][]> out = new HashMap<>();
        raw.forEach((id, doc) -> {
            float[][] c = new float[doc.length][h];
            for (int i = 0; i < doc.length; i++) {
                for (int j = 0; j < h; j++) {
                    c[i][j] = doc[i][j] - centre[j];
                }
            }
            out.put(id, c);
        });
        return out;
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        SDVariable doc = DocumentLayers.documentVectors(sd,
                (name, std, dims) -> g.headWeight(name, ctx.seed(), std, dims), shape);           // [B, H]
        if (!contrastive) {
            SDVariable logits = sd.mmul(doc, g.headWeight("classifier.weight", ctx.seed(), 0.02, shape.hidden(),
                    labels.size())).add(g.headWeight("classifier.bias", ctx.seed(), 0, 1, labels.size()));
            SDVariable y = g.placeholder(LABELS, DataType.FLOAT, -1, labels.size());          // one-hot
            return sd.mean("loss", g.logSumExp(logits).sub(sd.sum(logits.mul(y), 1)));
        }
        // Rows 0..B−1 are the first views, B..2B−1 the second: picked by products with 0/1 matrices [B, 2B].
        SDVariable u = sd.mmul(g.placeholder(VIEW_A, DataType.FLOAT, -1, -1), doc);
        SDVariable v = sd.mmul(g.placeholder(VIEW_B, DataType.FLOAT, -1, -1), doc);
        u = u.div(sd.norm2(u, true, 1));
        v = v.div(sd.norm2(v, true, 1));
        SDVariable targets = g.placeholder(TARGETS, DataType.FLOAT, -1, -1);                   // identity
        SDVariable uv = sd.mmul(u, v, false, true, false).div(cfg.temperature());
        SDVariable vu = sd.mmul(v, u, false, true, false).div(cfg.temperature());
        SDVariable nll = g.logSumExp(uv).sub(sd.sum(uv.mul(targets), 1))
                .add(g.logSumExp(vu).sub(sd.sum(vu.mul(targets), 1)));
        return sd.mean("loss", nll.mul(0.5));
    }

    @Override
    public BatchSource batches() {
        List<Document> pool = contrastive ? train.stream().filter(d -> sentences.get(d.id()).length >= 2).toList()
                : train;
        if (pool.size() < (contrastive ? 2 : 1)) {
            throw new IllegalArgumentException(cfg.corpus() + ": no training documents"
                    + (contrastive ? " with two sentences or more" : ""));
        }
        return BatchSource.epochs(pool.size(), ctx.batchSize(), epoch -> {
            List<Document> order = new ArrayList<>(pool);
            Collections.shuffle(order, new Random(ctx.seed() + 1_000_003L * epoch));
            return order;
        }, this::toBatch);
    }

    Batch toBatch(List<Document> docs) {
        int b = docs.size();
        List<float[][]> rows = new ArrayList<>();
        Map<String, INDArray> ph = new HashMap<>();
        if (!contrastive) {
            float[][] y = new float[b][labels.size()];
            for (int i = 0; i < b; i++) {
                rows.add(sentences.get(docs.get(i).id()));
                y[i][labels.indexOf(docs.get(i).label())] = 1;
            }
            ph.put(LABELS, Nd4j.createFromArray(y));
        } else {
            List<float[][]> second = new ArrayList<>();
            for (Document d : docs) {
                float[][][] views = views(sentences.get(d.id()));
                rows.add(views[0]);
                second.add(views[1]);
            }
            rows.addAll(second);
            float[][] a = new float[b][2 * b];
            float[][] c = new float[b][2 * b];
            for (int i = 0; i < b; i++) {
                a[i][i] = 1;
                c[i][b + i] = 1;
            }
            ph.put(VIEW_A, Nd4j.createFromArray(a));
            ph.put(VIEW_B, Nd4j.createFromArray(c));
            ph.put(TARGETS, Nd4j.eye(b).castTo(DataType.FLOAT));
        }
        ph.putAll(DocumentLayers.inputs(rows, shape.positions(), shape.hidden()));
        // The encoder graph is not fed: rows × time = 1 per document keeps the trainer's dropout masks tiny.
        return new Batch(ph, rows.size(), 1, b);
    }

    /** Two disjoint, non-empty parts of a document's sentences (at least two): halves, or even and odd sentences. */
    float[][][] views(float[][] doc) {
        int n = doc.length;
        if (cfg.views().equals("halves")) {
            int cut = (n + 1) / 2;
            return new float[][][] {java.util.Arrays.copyOfRange(doc, 0, cut), java.util.Arrays.copyOfRange(doc, cut, n)};
        }
        float[][] even = new float[(n + 1) / 2][];
        float[][] odd = new float[n / 2][];
        for (int i = 0; i < n; i++) {
            (i % 2 == 0 ? even : odd)[i / 2] = doc[i];
        }
        return new float[][][] {even, odd};
    }

    @Override
    public Map<String, Double> evaluate(TextEncoder current, HeadWeights head) throws IOException {
        List<Document> trainDocs = train.stream().filter(d -> !d.isDuplicate()).toList();
        int[] trainY = labelsOf(trainDocs);
        int[] evalY = labelsOf(eval);
        Map<String, Double> m = new LinkedHashMap<>();
        Inference inference = new Inference(head);
        float[][][] evalOut = inference.run(eval);
        if (!contrastive) {
            int[] predicted = new int[eval.size()];
            for (int i = 0; i < predicted.length; i++) {
                predicted[i] = argmax(evalOut[1][i]);
            }
            m.put("doc.accuracy", TopicMetrics.accuracy(evalY, predicted));
            m.put("doc.macro_f1", TopicMetrics.macroF1(evalY, predicted, labels.size()));
        }
        m.putAll(TopicMetrics.of("doc", inference.run(trainDocs)[0], trainY, evalOut[0], evalY, labels.size(),
                cfg.kmeansRestarts(), cfg.splitSeed()));
        if (baselines == null) {
            baselines = baselines(current, trainDocs, trainY, evalY);
        }
        m.putAll(baselines);
        return m;
    }

    /** The baselines, computed once: they do not change while the document layers train. */
    private Map<String, Double> baselines(TextEncoder current, List<Document> trainDocs, int[] trainY, int[] evalY) {
        Map<String, Double> m = new LinkedHashMap<>();
        int c = labels.size();
        if (cfg.baselines().contains("mean_of_sentences")) {
            // As the sentence encoder gives them, and centred as the document layers read them.
            m.putAll(TopicMetrics.of("mean", meanOfSentences(trainDocs, true), trainY, meanOfSentences(eval, true),
                    evalY, c, cfg.kmeansRestarts(), cfg.splitSeed()));
            m.putAll(TopicMetrics.of("mean_centred", meanOfSentences(trainDocs, false), trainY,
                    meanOfSentences(eval, false), evalY, c, cfg.kmeansRestarts(), cfg.splitSeed()));
        }
        if (cfg.baselines().contains("tfidf")) {
            TfIdf tfidf = TfIdf.fit(texts(trainDocs), cfg.tfidfMaxFeatures());
            m.putAll(TopicMetrics.of("tfidf", tfidf.transform(texts(trainDocs)), trainY, tfidf.transform(texts(eval)),
                    evalY, c, cfg.kmeansRestarts(), cfg.splitSeed()));
        }
        if (cfg.baselines().contains("bert512")) {
            // Full-length passes over the evaluation documents only (a probe would need the training split too).
            LOG.info("bert512 baseline: encoding {} evaluation documents at up to 512 tokens", eval.size());
            Map<Pooling, float[][]> v = current.embed(texts(eval), EnumSet.of(Pooling.CLS, Pooling.MEAN), false,
                    progress(eval.size()));
            m.putAll(TopicMetrics.of("bert512_cls", null, null, v.get(Pooling.CLS), evalY, c, cfg.kmeansRestarts(),
                    cfg.splitSeed()));
            m.putAll(TopicMetrics.of("bert512_mean", null, null, v.get(Pooling.MEAN), evalY, c, cfg.kmeansRestarts(),
                    cfg.splitSeed()));
        }
        return m;
    }

    /** The document vectors (and, for classification, the topic logits) from the current head weights. */
    private final class Inference {
        private final SameDiff sd = SameDiff.create();
        private final List<String> outputs = new ArrayList<>();

        Inference(HeadWeights head) {
            SDVariable doc = DocumentLayers.documentVectors(sd,
                    (name, std, dims) -> sd.constant("head." + name, head.array(name)), shape);
            outputs.add(doc.name());
            if (!contrastive) {
                outputs.add(sd.mmul(doc, sd.constant(head.array("classifier.weight")))
                        .add(sd.constant(head.array("classifier.bias"))).name());
            }
        }

        /** [output][document][dim]: the document vectors, then the logits. */
        float[][][] run(List<Document> docs) {
            float[][][] out = new float[outputs.size()][docs.size()][];
            for (int from = 0; from < docs.size(); from += EVAL_BATCH) {
                List<Document> part = docs.subList(from, Math.min(docs.size(), from + EVAL_BATCH));
                List<float[][]> rows = part.stream().map(d -> sentences.get(d.id())).toList();
                Map<String, INDArray> result = sd.output(DocumentLayers.inputs(rows, shape.positions(),
                        shape.hidden()), outputs.toArray(String[]::new));
                for (int o = 0; o < outputs.size(); o++) {
                    float[][] matrix = result.get(outputs.get(o)).toFloatMatrix();
                    System.arraycopy(matrix, 0, out[o], from, matrix.length);
                }
            }
            return out;
        }
    }

    /** The mean of each document's sentence vectors, centred or (raw) as the encoder gave them. */
    float[][] meanOfSentences(List<Document> docs, boolean raw) {
        float[][] out = new float[docs.size()][shape.hidden()];
        for (int d = 0; d < docs.size(); d++) {
            float[][] s = sentences.get(docs.get(d).id());
            for (float[] v : s) {
                for (int j = 0; j < v.length; j++) {
                    out[d][j] += v[j] / s.length;
                }
            }
            for (int j = 0; raw && j < out[d].length; j++) {
                out[d][j] += centre[j];
            }
        }
        return out;
    }

    private static List<String> texts(List<Document> docs) {
        return docs.stream().map(d -> String.join(" ", d.sentences())).toList();
    }

    private int[] labelsOf(List<Document> docs) {
        return docs.stream().mapToInt(d -> labels.indexOf(d.label())).toArray();
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
        }
        return best;
    }

    private static Encoder.Progress progress(int total) {
        int[] next = {2000};
        return done -> {
            if (done >= next[0] || done == total) {
                LOG.info("encoded {}/{}", done, total);
                next[0] = done + 2000;
            }
        };
    }

    List<Document> trainDocuments() {
        return train;
    }

    List<Document> evalDocuments() {
        return eval;
    }

    List<String> labels() {
        return labels;
    }

    float[][] sentenceVectors(Document d) {
        return sentences.get(d.id());
    }

    DocumentLayers.Shape shape() {
        return shape;
    }

    int skippedEmpty() {
        return skippedEmpty;
    }
}
