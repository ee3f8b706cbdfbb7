package org.taskbert.tasks.simcse;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.taskbert.spi.ExportSpec;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;

/**
 * {@code task: {type: simcse, ...}}.
 *
 * @param corpus documents (JSONL, optionally gzipped, with {@code id} and {@code text}; paragraphs split by blank
 *     lines); their sentences are the training data
 * @param maxDocs read at most this many documents (0 = all)
 * @param locale the sentence splitter's locale
 * @param minWords sentences with fewer words are left out (headings, list debris)
 * @param pooling the sentence vector: {@code cls} (SimCSE's), {@code mean}, {@code first_last_avg} (the mean of
 *     layer 1's and the last layer's mean), {@code pooler} or {@code prompt} (PromptBERT's [MASK] state, each
 *     sentence in its template)
 * @param mlp SimCSE's training-only head: a new dense+tanh over the pooled vector in training, left out at
 *     evaluation and export
 * @param positive {@code dropout} (SimCSE: the sentence itself under another dropout mask), {@code next} (its next
 *     sentence in the document, the note's signal) or {@code both} (the two losses, weighted by {@code nextWeight})
 * @param nextWeight the next-sentence loss's weight with {@code both}: (1 − w)·dropout + w·next
 * @param temperature cosine / temperature are the logits (SimCSE: 0.05)
 * @param repetition ESimCSE's word repetition in the dropout positive: the rate of its word pieces repeated (0, the
 *     default: none; ESimCSE: 0.32); see {@link WordRepetition}
 * @param sentencesPerEpoch sentences drawn for each pass (a fresh shuffle each epoch; 0 = all)
 * @param evalSts STS files scored (Spearman ×100 of cosine) at each evaluation
 * @param evalMaxLength the evaluated sentences' length in tokens (0, the default: the model's positions, untruncated
 *     as SentEval scores SimCSE; {@code training.max_length} truncates only the training sentences)
 * @param evalPooling the sentence vector scored at each evaluation (so the one the best checkpoint is picked by) and
 *     exported, when it is not the trained one (the default: {@code pooling}); e.g. {@code first_last_avg} over a
 *     model trained on {@code mean}
 */
public record SimCseConfig(
        Path corpus,
        Integer maxDocs,
        String locale,
        Integer minWords,
        Pooling pooling,
        Boolean mlp,
        Positive positive,
        Double nextWeight,
        Double temperature,
        Double repetition,
        Integer sentencesPerEpoch,
        List<Path> evalSts,
        Integer evalMaxLength,
        Pooling evalPooling)
        implements TaskConfig {

    /** The poolings the loss can train through. */
    private static final Pooling[] TRAINED = {
        Pooling.CLS, Pooling.MEAN, Pooling.FIRST_LAST_AVG, Pooling.POOLER, Pooling.PROMPT
    };

    /** The poolings that can be scored and exported: the trained ones and max (which has no use as a loss here). */
    private static final Pooling[] SCORED = {
        Pooling.CLS, Pooling.MEAN, Pooling.FIRST_LAST_AVG, Pooling.MAX, Pooling.POOLER, Pooling.PROMPT
    };

    /** {@code task.positive}. */
    public enum Positive {
        @JsonProperty("dropout")
        DROPOUT,
        @JsonProperty("next")
        NEXT,
        @JsonProperty("both")
        BOTH
    }

    public SimCseConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        minWords = minWords == null ? 4 : minWords;
        pooling = pooling == null ? Pooling.CLS : pooling;
        mlp = mlp == null || mlp;
        positive = positive == null ? Positive.DROPOUT : positive;
        nextWeight = nextWeight == null ? 0.5 : nextWeight;
        temperature = temperature == null ? 0.05 : temperature;
        repetition = repetition == null ? 0 : repetition;
        sentencesPerEpoch = sentencesPerEpoch == null ? 0 : sentencesPerEpoch;
        evalSts = evalSts == null ? List.of() : List.copyOf(evalSts);
        evalMaxLength = evalMaxLength == null ? 0 : evalMaxLength;
        evalPooling = evalPooling == null ? pooling : evalPooling;
    }

    @Override
    public void validate(String name) {
        ConfigChecks.requireLocale(name, "task.locale", locale);
        ConfigChecks.requireFile(name, "task.corpus", corpus);
        ConfigChecks.requireFiles(name, "task.eval_sts", evalSts);
        ConfigChecks.requirePooling(name, "task.pooling", pooling, TRAINED);
        ConfigChecks.requirePooling(name, "task.eval_pooling", evalPooling, SCORED);
        if ((pooling == Pooling.PROMPT) != (evalPooling == Pooling.PROMPT)) {
            throw new ConfigException(
                    name + ": field 'task.eval_pooling' is " + evalPooling.id() + " but task.pooling is " + pooling.id()
                            + "; prompt puts each text in its template, so both or neither must be prompt");
        }
        ConfigChecks.requirePositive(name, "task.temperature", temperature);
        ConfigChecks.requireWithin(name, "task.next_weight", nextWeight, 0, 1);
        ConfigChecks.requireWithin(name, "task.repetition", repetition, 0, 1);
        if (repetition > 0 && (positive == Positive.NEXT || pooling == Pooling.PROMPT)) {
            throw new ConfigException(name + ": field 'task.repetition' repeats word pieces of the dropout positive, "
                    + (positive == Positive.NEXT
                            ? "which task.positive: next does not have (use dropout or both)"
                            : "and would move task.pooling: prompt's [MASK]; use 0 with prompt"));
        }
        ConfigChecks.requireAtLeast(name, "task.sentences_per_epoch", sentencesPerEpoch, 0); // 0: all
        ConfigChecks.requireAtLeast(name, "task.min_words", minWords, 0);
        ConfigChecks.requireAtLeast(name, "task.max_docs", maxDocs, 0); // 0: all
        ConfigChecks.requireAtLeast(name, "task.eval_max_length", evalMaxLength, 0); // 0: the model's positions
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(evalPooling);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new SimCseTask(this, context);
    }
}
