package org.taskbert.tasks.document;

import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.DocumentSplit;
import org.taskbert.spi.data.SentenceSplitter;
import org.taskbert.spi.data.TopicSentences;

/**
 * The document task's data: the labelled documents, split, and the frozen sentence vectors of each document's first
 * {@code max_sentences} sentences (encoded once, cached by {@link SentenceVectors}), centred on the training split's
 * mean sentence vector.
 *
 * <p>Documents without any sentence are skipped (counted in the log, {@link #skippedEmpty()}); a document without a
 * label is an error. The split is {@link TopicSentences#splitByDocument} with {@code split_seed}: stratified by label,
 * exact copies with their original; copies are then dropped from the evaluation split.
 */
final class DocumentData {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentData.class);

    private final List<Document> train;
    private final List<Document> eval;
    private final List<String> labels;
    private final int skippedEmpty;
    /** The training split's mean sentence vector, as the encoder gave it. */
    private final float[] centre;
    /** Sentence vectors less {@link #centre}, by document id. */
    private final Map<String, float[][]> sentences = new HashMap<>();

    DocumentData(DocumentConfig cfg, TaskContext ctx) throws IOException {
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
        this.labels =
                List.copyOf(new TreeSet<>(docs.stream().map(Document::label).toList()));
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
        Map<String, float[][]> raw = sentenceVectors(docs, cfg, ctx);
        this.centre = mean(raw, train, ctx.model().hiddenSize());
        // BERT's sentence vectors share one large common direction; taken out, what tells sentences apart is what the
        // document layers' input LayerNorm scales up.
        raw.forEach((id, doc) -> {
            float[][] c = new float[doc.length][centre.length];
            for (int i = 0; i < doc.length; i++) {
                for (int j = 0; j < centre.length; j++) {
                    c[i][j] = doc[i][j] - centre[j];
                }
            }
            sentences.put(id, c);
        });
        LOG.info("{} training and {} evaluation documents, labels {}", train.size(), eval.size(), labels);
    }

    /**
     * Training and evaluation documents: stratified by label, exact copies on the side of their original (seeded,
     * independent of the input order); the copies are then dropped from the evaluation side.
     */
    static DocumentSplit split(List<Document> docs, double testFraction, long seed) {
        DocumentSplit split = TopicSentences.splitByDocument(docs, testFraction, seed);
        return new DocumentSplit(
                split.train(),
                split.test().stream().filter(d -> !d.isDuplicate()).toList());
    }

    /** The frozen sentence vectors of every document's first max_sentences sentences, from the cache if there. */
    private static Map<String, float[][]> sentenceVectors(List<Document> docs, DocumentConfig cfg, TaskContext ctx)
            throws IOException {
        Map<String, List<String>> capped = new LinkedHashMap<>();
        for (Document d : docs) {
            List<String> s = d.sentences();
            capped.put(d.id(), List.copyOf(s.subList(0, Math.min(s.size(), cfg.maxSentences()))));
        }
        String key = "model=" + ctx.modelFingerprint() + ";pooling="
                + cfg.sentencePooling().id() + ";max_length=" + cfg.maxLength();
        Path cache = cfg.cacheDir() != null ? cfg.cacheDir() : ctx.cacheDir().resolve("sentence-vectors");
        return SentenceVectors.load(
                capped, key, cache, texts -> ctx.frozenVectors(texts, cfg.sentencePooling(), cfg.maxLength()));
    }

    /** The mean of the documents' sentence vectors. */
    private static float[] mean(Map<String, float[][]> vectors, List<Document> docs, int h) {
        double[] sum = new double[h];
        long n = 0;
        for (Document d : docs) {
            for (float[] v : vectors.get(d.id())) {
                for (int j = 0; j < h; j++) {
                    sum[j] += v[j];
                }
                n++;
            }
        }
        float[] out = new float[h];
        for (int j = 0; j < h; j++) {
            out[j] = (float) (sum[j] / n);
        }
        return out;
    }

    List<Document> train() {
        return train;
    }

    /** The training documents less the copies: what probes are fitted on. */
    List<Document> trainOriginals() {
        return train.stream().filter(d -> !d.isDuplicate()).toList();
    }

    List<Document> eval() {
        return eval;
    }

    List<String> labels() {
        return labels;
    }

    int[] labelsOf(List<Document> docs) {
        return docs.stream().mapToInt(d -> labels.indexOf(d.label())).toArray();
    }

    /** A document's centred sentence vectors. */
    float[][] sentences(Document d) {
        return sentences.get(d.id());
    }

    /** The training split's mean sentence vector, taken out of {@link #sentences}. */
    float[] centre() {
        return centre;
    }

    int skippedEmpty() {
        return skippedEmpty;
    }
}
