package org.taskbert.tasks.document;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.taskbert.spi.ExportSpec;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;

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
 * @param sentenceEncoder {@code frozen} (sentence vectors computed once and cached; {@code training.train_layers: 0})
 *     or {@code fine-tuned} (the sentences go through the encoder with the head, whose top
 *     {@code training.train_layers} train through the document layers)
 * @param sentencePooling how a sentence vector is pooled from the encoder ({@code mean}, {@code cls}, ...)
 * @param maxSentences the first this many sentences of a document are used
 * @param maxLength tokens per sentence
 * @param objective {@code classification} (the label, cross-entropy) or {@code contrastive} (two parts of a document,
 *     as {@code views} cuts it, are positives, the other documents of the batch negatives)
 * @param views how a document is cut into two views for {@code contrastive}: {@code halves} (first and second half),
 *     {@code alternate} (even and odd sentences) or {@code overlapping} (the first and the last two thirds)
 * @param temperature of the contrastive softmax over cosines
 * @param layers document self-attention layers, 1 or 2
 * @param heads attention heads of the document layers (default: the encoder's)
 * @param ffnSize the document layers' feed-forward width (default: 4 × hidden)
 * @param documentPooling {@code doc_token} (a learned [DOC] slot's output) or {@code attention} (attention pooling
 *     over the sentence outputs with a learned query)
 * @param baselines evaluated in the same run: {@code mean_of_sentences}, {@code tfidf}, {@code bert512}
 * @param tfidfMaxFeatures TF-IDF vocabulary: the most frequent terms (by document frequency in the training split)
 * @param kmeansRestarts k-means++ runs; the one with the least within-cluster sum of squares is kept
 * @param cacheDir where sentence vectors are cached (default: the run's cache folder, {@code TASKBERT_CACHE}, under
 *     {@code sentence-vectors})
 */
public record DocumentConfig(
        Path corpus,
        Integer maxDocs,
        String locale,
        Double testFraction,
        Long splitSeed,
        SentenceEncoding sentenceEncoder,
        Pooling sentencePooling,
        Integer maxSentences,
        Integer maxLength,
        Objective objective,
        Views views,
        Double temperature,
        Integer layers,
        Integer heads,
        Integer ffnSize,
        DocumentPooling documentPooling,
        List<Baseline> baselines,
        Integer tfidfMaxFeatures,
        Integer kmeansRestarts,
        Path cacheDir)
        implements TaskConfig {

    /** {@code task.sentence_encoder}: {@code frozen} or {@code fine-tuned}. */
    public enum SentenceEncoding {
        @JsonProperty("frozen")
        FROZEN,
        @JsonProperty("fine-tuned")
        FINE_TUNED
    }

    /** {@code task.objective}. */
    public enum Objective {
        @JsonProperty("classification")
        CLASSIFICATION,
        @JsonProperty("contrastive")
        CONTRASTIVE
    }

    /** {@code task.views}. */
    public enum Views {
        @JsonProperty("halves")
        HALVES,
        @JsonProperty("alternate")
        ALTERNATE,
        @JsonProperty("overlapping")
        OVERLAPPING
    }

    /** {@code task.document_pooling}. */
    public enum DocumentPooling {
        @JsonProperty("doc_token")
        DOC_TOKEN,
        @JsonProperty("attention")
        ATTENTION
    }

    /** {@code task.baselines[i]}. */
    public enum Baseline {
        @JsonProperty("mean_of_sentences")
        MEAN_OF_SENTENCES,
        @JsonProperty("tfidf")
        TFIDF,
        @JsonProperty("bert512")
        BERT512
    }

    public DocumentConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        testFraction = testFraction == null ? 0.15 : testFraction;
        splitSeed = splitSeed == null ? 13L : splitSeed;
        sentenceEncoder = sentenceEncoder == null ? SentenceEncoding.FROZEN : sentenceEncoder;
        sentencePooling = sentencePooling == null ? Pooling.MEAN : sentencePooling;
        maxSentences = maxSentences == null ? 24 : maxSentences;
        maxLength = maxLength == null ? 48 : maxLength;
        objective = objective == null ? Objective.CLASSIFICATION : objective;
        views = views == null ? Views.HALVES : views;
        temperature = temperature == null ? 0.05 : temperature;
        layers = layers == null ? 1 : layers;
        documentPooling = documentPooling == null ? DocumentPooling.DOC_TOKEN : documentPooling;
        baselines = baselines == null
                ? List.of(Baseline.MEAN_OF_SENTENCES, Baseline.TFIDF)
                : Collections.unmodifiableList(new ArrayList<>(baselines));
        tfidfMaxFeatures = tfidfMaxFeatures == null ? 5000 : tfidfMaxFeatures;
        kmeansRestarts = kmeansRestarts == null ? 10 : kmeansRestarts;
        // cacheDir: null means the context's cache folder (resolved by the task, which has the context)
    }

    @Override
    public void validate(String name) {
        ConfigChecks.requireLocale(name, "task.locale", locale);
        ConfigChecks.requireFile(name, "task.corpus", corpus);
        if (layers != 1 && layers != 2) {
            throw new ConfigException(name + ": field 'task.layers' must be 1 or 2, got " + layers);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ConfigException(name + ": field 'task.test_fraction' must be in (0, 1), got " + testFraction);
        }
        ConfigChecks.requirePositive(name, "task.max_sentences", maxSentences);
        ConfigChecks.requirePositive(name, "task.tfidf_max_features", tfidfMaxFeatures);
        ConfigChecks.requirePositive(name, "task.kmeans_restarts", kmeansRestarts);
        if (maxLength < 3 || maxLength > 512) { // [CLS] x [SEP]
            throw new ConfigException(name + ": field 'task.max_length' must be within 3..512, got " + maxLength);
        }
        if (maxDocs < 0) {
            throw new ConfigException(name + ": field 'task.max_docs' must be 0 (all) or positive, got " + maxDocs);
        }
        if (heads != null) {
            ConfigChecks.requirePositive(name, "task.heads", heads);
        }
        if (ffnSize != null) {
            ConfigChecks.requirePositive(name, "task.ffn_size", ffnSize);
        }
        ConfigChecks.requirePositive(name, "task.temperature", temperature);
        for (int i = 0; i < baselines.size(); i++) {
            if (baselines.get(i) == null) {
                throw new ConfigException(name + ": field 'task.baselines[" + i + "]' must be one of "
                        + List.of(Baseline.values()) + ", got null");
            }
        }
    }

    /** The export is the sentence pooling the document layers read (trained with them when fine-tuned). */
    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(sentencePooling);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new DocumentTask(this, context);
    }
}
