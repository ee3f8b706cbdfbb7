package org.taskbert.tasks.ranking;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.ExportSpec;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.SentenceSplitter;

/**
 * {@code task: {type: pairwise-ranking, ...}}. The examples come either from two explicit files ({@code train},
 * {@code dev}; see {@link RankingExample#read}) or from a corpus ({@code corpus}, {@code pairs: first-sentence};
 * see {@link FirstSentencePairs}) split by article ({@link RankingSplit#byIdHash}, {@code dev_size} articles for
 * dev).
 *
 * @param train training examples (JSONL: {@code query}, {@code positive}, optional {@code negative})
 * @param dev dev examples, same format; its positives and negatives are the candidate pool of the evaluation
 * @param corpus documents (JSONL, optionally gzipped, with {@code id} and {@code text}; paragraphs split by blank lines)
 * @param pairs how a corpus gives examples: {@code first-sentence} (the only one, and the default)
 * @param maxDocs read at most this many documents of the corpus (0 = all)
 * @param locale the sentence splitter's locale
 * @param devSize corpus only: how many articles' pairs form the dev set and its candidate pool (default 1000)
 * @param pooling the sentence vector trained: {@code mean} (default), {@code cls} or {@code pooler}
 * @param loss {@code in-batch} (default: softmax over scale·cos against every candidate of the batch) or
 *     {@code margin} (hinge on cos(q,p) − cos(q,c) for every other candidate c of the batch)
 * @param scale for {@code in-batch}: the fixed factor on the cosine (default 20, as sentence-transformers'
 *     MultipleNegativesRankingLoss)
 * @param margin for {@code margin} (default 0.2)
 * @param evalMaxLength the token limit of queries and candidates at evaluation (default: training.max_length)
 */
public record PairwiseRankingConfig(
        Path train,
        Path dev,
        Path corpus,
        Pairs pairs,
        Integer maxDocs,
        String locale,
        Integer devSize,
        Pooling pooling,
        Loss loss,
        Double scale,
        Double margin,
        Integer evalMaxLength)
        implements TaskConfig {

    private static final Logger LOG = LoggerFactory.getLogger(PairwiseRankingConfig.class);

    /** {@code task.pairs}. */
    public enum Pairs {
        @JsonProperty("first-sentence")
        FIRST_SENTENCE
    }

    /** {@code task.loss}. */
    public enum Loss {
        @JsonProperty("in-batch")
        IN_BATCH,
        @JsonProperty("margin")
        MARGIN
    }

    public PairwiseRankingConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        pooling = pooling == null ? Pooling.MEAN : pooling;
        loss = loss == null ? Loss.IN_BATCH : loss;
        scale = scale == null ? 20.0 : scale;
        margin = margin == null ? 0.2 : margin;
    }

    @Override
    public void validate(String name) {
        ConfigChecks.requireLocale(name, "task.locale", locale);
        if (corpus != null) {
            ConfigChecks.requireFile(name, "task.corpus", corpus);
            absent(name, "task.train", train, "give either task.corpus or task.train and task.dev, not both");
            absent(name, "task.dev", dev, "give either task.corpus or task.train and task.dev, not both");
            if (devSize != null && devSize < 1) {
                throw new ConfigException(name + ": field 'task.dev_size' must be at least 1, got " + devSize);
            }
        } else {
            if (train == null && dev == null) {
                throw new ConfigException(
                        name + ": missing required field 'task.corpus' (or 'task.train' and " + "'task.dev')");
            }
            ConfigChecks.requireFile(name, "task.train", train);
            ConfigChecks.requireFile(name, "task.dev", dev);
            absent(name, "task.pairs", pairs, "applies to task.corpus only");
            absent(name, "task.dev_size", devSize, "applies to task.corpus only");
        }
        ConfigChecks.requirePooling(name, "task.pooling", pooling, Pooling.MEAN, Pooling.CLS, Pooling.POOLER);
        ConfigChecks.requirePositive(name, "task.scale", scale);
        ConfigChecks.requirePositive(name, "task.margin", margin);
        if (evalMaxLength != null) {
            ConfigChecks.requireAtLeast(name, "task.eval_max_length", evalMaxLength, 3); // [CLS] x [SEP]
        }
        ConfigChecks.requireAtLeast(name, "task.max_docs", maxDocs, 0); // 0: all
    }

    private static void absent(String name, String field, Object value, String why) {
        if (value != null) {
            throw new ConfigException(name + ": field '" + field + "': " + why);
        }
    }

    /** The training and dev examples this config names (the corpus is read, paired, logged with its skip counts, split). */
    public RankingSplit examples() throws IOException {
        if (corpus == null) {
            return new RankingSplit(RankingExample.read(train), RankingExample.read(dev));
        }
        FirstSentencePairs made =
                FirstSentencePairs.of(Corpus.read(corpus, new SentenceSplitter(new ULocale(locale)), maxDocs));
        LOG.info("{}: {}", corpus.getFileName(), made.summary());
        RankingSplit split;
        try {
            split = RankingSplit.byIdHash(made.pairs(), devSize == null ? 1000 : devSize);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task.dev_size: " + e.getMessage() + " (" + made.summary() + ")", e);
        }
        LOG.info(
                "split by SHA-256 of the article id: {} training, {} dev pairs",
                split.train().size(),
                split.dev().size());
        return split;
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(pooling);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new PairwiseRankingTask(this, context);
    }
}
