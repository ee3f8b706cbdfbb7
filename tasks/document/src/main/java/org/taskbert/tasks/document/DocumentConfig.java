package org.taskbert.tasks.document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.taskbert.config.ConfigException;
import org.taskbert.config.ConfigLoader;
import org.taskbert.encoder.Pooling;
import org.taskbert.model.Models;
import org.taskbert.task.ExportSpec;
import org.taskbert.task.Task;
import org.taskbert.task.TaskConfig;
import org.taskbert.task.TaskContext;

/**
 * {@code task: {type: document, ...}}: document vectors from one or two self-attention layers over the sentence
 * vectors of a document.
 *
 * @param corpus labelled documents (JSONL, optionally gzipped: {@code id}, {@code text}, {@code label}, optional
 *     {@code duplicate_of}); the topic is the {@code label} field
 * @param maxDocs read at most this many documents (0 = all)
 * @param locale the sentence splitter's locale
 * @param testFraction the evaluation split: this fraction of each label's documents (exact copies stay with their
 *     original, and copies are dropped from the evaluation split)
 * @param splitSeed the split's seed, kept apart from the run's seed so that runs compare on one evaluation split
 * @param sentenceEncoder {@code frozen} (sentence vectors computed once and cached); {@code fine-tuned} is not built
 * @param sentencePooling how a sentence vector is pooled from the encoder ({@code mean}, {@code cls}, ...)
 * @param maxSentences the first this many sentences of a document are used
 * @param maxLength tokens per sentence
 * @param objective {@code classification} (the label, cross-entropy) or {@code contrastive} (two disjoint halves of
 *     a document are positives, the other documents of the batch negatives)
 * @param views how a document is cut into two views for {@code contrastive}: {@code halves} (first and second half)
 *     or {@code alternate} (even and odd sentences)
 * @param temperature of the contrastive softmax over cosines
 * @param layers document self-attention layers, 1 or 2
 * @param heads attention heads of the document layers (default: the encoder's)
 * @param ffnSize the document layers' feed-forward width (default: 4 × hidden)
 * @param documentPooling {@code doc_token} (a learned [DOC] slot's output) or {@code attention} (attention pooling
 *     over the sentence outputs with a learned query)
 * @param baselines evaluated in the same run: {@code mean_of_sentences}, {@code tfidf}, {@code bert512}
 * @param tfidfMaxFeatures TF-IDF vocabulary: the most frequent terms (by document frequency in the training split)
 * @param kmeansRestarts k-means++ runs; the one with the least within-cluster sum of squares is kept
 * @param cacheDir where sentence vectors are cached (default {@code TASKBERT_CACHE/sentence-vectors})
 */
public record DocumentConfig(Path corpus, Integer maxDocs, String locale, Double testFraction, Long splitSeed,
        String sentenceEncoder, String sentencePooling, Integer maxSentences, Integer maxLength, String objective,
        String views, Double temperature, Integer layers, Integer heads, Integer ffnSize, String documentPooling,
        List<String> baselines, Integer tfidfMaxFeatures, Integer kmeansRestarts, Path cacheDir) implements TaskConfig {

    static final List<String> BASELINES = List.of("mean_of_sentences", "tfidf", "bert512");

    public DocumentConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        testFraction = testFraction == null ? 0.15 : testFraction;
        splitSeed = splitSeed == null ? 13L : splitSeed;
        sentenceEncoder = sentenceEncoder == null ? "frozen" : sentenceEncoder;
        sentencePooling = sentencePooling == null ? "mean" : sentencePooling;
        maxSentences = maxSentences == null ? 24 : maxSentences;
        maxLength = maxLength == null ? 48 : maxLength;
        objective = objective == null ? "classification" : objective;
        views = views == null ? "halves" : views;
        temperature = temperature == null ? 0.05 : temperature;
        layers = layers == null ? 1 : layers;
        documentPooling = documentPooling == null ? "doc_token" : documentPooling;
        baselines = baselines == null ? List.of("mean_of_sentences", "tfidf") : List.copyOf(baselines);
        tfidfMaxFeatures = tfidfMaxFeatures == null ? 5000 : tfidfMaxFeatures;
        kmeansRestarts = kmeansRestarts == null ? 10 : kmeansRestarts;
        cacheDir = cacheDir == null ? Models.cacheRoot().resolve("sentence-vectors") : cacheDir;
    }

    @Override
    public void validate(String name) {
        ConfigLoader.requireFile(name, "task.corpus", corpus);
        oneOf(name, "sentence_encoder", sentenceEncoder, List.of("frozen", "fine-tuned"));
        if (sentenceEncoder.equals("fine-tuned")) {
            throw new ConfigException(name + ": field 'task.sentence_encoder': 'fine-tuned' is not built yet; use"
                    + " 'frozen' (sentence vectors computed once and cached, only the document layers train)");
        }
        try {
            Pooling.parse(sentencePooling);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": field 'task.sentence_pooling': " + e.getMessage());
        }
        oneOf(name, "objective", objective, List.of("classification", "contrastive"));
        oneOf(name, "views", views, List.of("halves", "alternate"));
        oneOf(name, "document_pooling", documentPooling, List.of("doc_token", "attention"));
        if (layers != 1 && layers != 2) {
            throw new ConfigException(name + ": field 'task.layers' must be 1 or 2, got " + layers);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ConfigException(name + ": field 'task.test_fraction' must be in (0, 1), got " + testFraction);
        }
        positive(name, "max_sentences", maxSentences);
        positive(name, "tfidf_max_features", tfidfMaxFeatures);
        positive(name, "kmeans_restarts", kmeansRestarts);
        if (maxLength < 2 || maxLength > 512) {
            throw new ConfigException(name + ": field 'task.max_length' must be within 2..512, got " + maxLength);
        }
        if (maxDocs < 0) {
            throw new ConfigException(name + ": field 'task.max_docs' must be 0 (all) or positive, got " + maxDocs);
        }
        if (heads != null && heads <= 0 || ffnSize != null && ffnSize <= 0) {
            throw new ConfigException(name + ": field 'task." + (heads != null && heads <= 0 ? "heads" : "ffn_size")
                    + "' must be positive");
        }
        if (!(temperature > 0)) {
            throw new ConfigException(name + ": field 'task.temperature' must be positive, got " + temperature);
        }
        for (int i = 0; i < baselines.size(); i++) {
            if (!BASELINES.contains(baselines.get(i))) {
                throw new ConfigException(name + ": field 'task.baselines[" + i + "]' must be one of " + BASELINES
                        + ", got " + baselines.get(i));
            }
        }
    }

    private static void oneOf(String name, String field, String value, List<String> valid) {
        if (!valid.contains(value)) {
            throw new ConfigException(name + ": field 'task." + field + "' must be one of " + valid + ", got " + value);
        }
    }

    private static void positive(String name, String field, int value) {
        if (value <= 0) {
            throw new ConfigException(name + ": field 'task." + field + "' must be positive, got " + value);
        }
    }

    /** The encoder is not trained; its export is the sentence pooling the document layers read. */
    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(Pooling.parse(sentencePooling));
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new DocumentTask(this, context);
    }
}
