package org.taskbert.tasks.document;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.SentenceEncoder;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.eval.TfIdf;
import org.taskbert.tasks.document.DocumentConfig.Baseline;

/**
 * What the document vectors are compared with, by the same {@link TopicMetrics}: the mean of a document's sentence
 * vectors (as the encoder gave them, {@code mean}, and centred as the document layers read them,
 * {@code mean_centred}), TF-IDF, and BERT over the first 512 tokens of the whole text ({@code bert512_cls},
 * {@code bert512_mean}). They do not change while the document layers train, so they are computed once.
 */
final class DocumentBaselines {

    private static final Logger LOG = LoggerFactory.getLogger(DocumentBaselines.class);

    private DocumentBaselines() {}

    static Map<String, Double> of(DocumentConfig cfg, DocumentData data, SentenceEncoder encoder) {
        List<Document> train = data.trainOriginals();
        List<Document> eval = data.eval();
        int[] trainY = data.labelsOf(train);
        int[] evalY = data.labelsOf(eval);
        int c = data.labels().size();
        Map<String, Double> m = new LinkedHashMap<>();
        if (cfg.baselines().contains(Baseline.MEAN_OF_SENTENCES)) {
            m.putAll(TopicMetrics.of(
                    "mean",
                    meanOfSentences(data, train, true),
                    trainY,
                    meanOfSentences(data, eval, true),
                    evalY,
                    c,
                    cfg.kmeansRestarts(),
                    cfg.splitSeed()));
            m.putAll(TopicMetrics.of(
                    "mean_centred",
                    meanOfSentences(data, train, false),
                    trainY,
                    meanOfSentences(data, eval, false),
                    evalY,
                    c,
                    cfg.kmeansRestarts(),
                    cfg.splitSeed()));
        }
        if (cfg.baselines().contains(Baseline.TFIDF)) {
            TfIdf tfidf = TfIdf.fit(texts(train), cfg.tfidfMaxFeatures());
            m.putAll(TopicMetrics.of(
                    "tfidf",
                    tfidf.transform(texts(train)),
                    trainY,
                    tfidf.transform(texts(eval)),
                    evalY,
                    c,
                    cfg.kmeansRestarts(),
                    cfg.splitSeed()));
        }
        if (cfg.baselines().contains(Baseline.BERT512)) {
            // Full-length passes over the evaluation documents only (a probe would need the training split too).
            LOG.info("bert512 baseline: encoding {} evaluation documents at up to 512 tokens", eval.size());
            Map<Pooling, float[][]> v = encoder.embed(texts(eval), EnumSet.of(Pooling.CLS, Pooling.MEAN), false);
            m.putAll(TopicMetrics.of(
                    "bert512_cls", null, null, v.get(Pooling.CLS), evalY, c, cfg.kmeansRestarts(), cfg.splitSeed()));
            m.putAll(TopicMetrics.of(
                    "bert512_mean", null, null, v.get(Pooling.MEAN), evalY, c, cfg.kmeansRestarts(), cfg.splitSeed()));
        }
        return m;
    }

    /** The mean of each document's sentence vectors, centred or (raw) as the encoder gave them. */
    static float[][] meanOfSentences(DocumentData data, List<Document> docs, boolean raw) {
        float[] centre = data.centre();
        float[][] out = new float[docs.size()][centre.length];
        for (int d = 0; d < docs.size(); d++) {
            float[][] s = data.sentences(docs.get(d));
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
}
