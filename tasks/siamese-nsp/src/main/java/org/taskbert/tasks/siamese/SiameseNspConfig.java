package org.taskbert.tasks.siamese;

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
 * {@code task: {type: siamese-nsp, ...}}.
 *
 * @param corpus documents (JSONL, optionally gzipped, with {@code text}; paragraphs split by blank lines)
 * @param maxDocs read at most this many documents (0 = all)
 * @param locale the sentence splitter's locale ({@code en}, {@code ja}, ...)
 * @param pooling {@code pooler} (default, BERT's pooled_output), {@code pooler_linear} (the pooler before its tanh),
 *     {@code cls} or {@code mean}
 * @param objective {@code binary} (is-next against random, cross-entropy) or {@code in-batch} (softmax over the batch)
 * @param score {@code scaled} (s·⟨u,v⟩+b, s and b learned), {@code dot}, {@code centered} (binary:
 *     s·(⟨u,v⟩ − ⟨ū,v̄⟩)+b, the batch's mean A×B inner product taken out), {@code cosine} (cos/temperature; binary
 *     adds a learned bias b) or {@code learned-scale} (e^t·cos + b as CLIP and SigLIP: t learned from
 *     ln(init_scale), e^t capped at max_scale; in-batch without b)
 * @param temperature for {@code cosine}
 * @param initScale {@code learned-scale}'s starting scale (CLIP: 1/0.07; SigLIP: 10)
 * @param initBias the starting bias b of the binary scores {@code cosine} and {@code learned-scale} (SigLIP: −10)
 * @param maxScale {@code learned-scale}'s cap (CLIP: 100)
 * @param pairsPerEpoch pairs drawn for each pass (a fresh draw each epoch)
 * @param evalSts STS files scored (Spearman ×100 of cosine) at each evaluation
 */
public record SiameseNspConfig(
        Path corpus,
        Integer maxDocs,
        String locale,
        Pooling pooling,
        Objective objective,
        Score score,
        Double temperature,
        Double initScale,
        Double initBias,
        Double maxScale,
        Integer pairsPerEpoch,
        List<Path> evalSts)
        implements TaskConfig {

    /** {@code task.objective}. */
    public enum Objective {
        @JsonProperty("binary")
        BINARY,
        @JsonProperty("in-batch")
        IN_BATCH
    }

    /** {@code task.score}. */
    public enum Score {
        @JsonProperty("scaled")
        SCALED,
        @JsonProperty("centered")
        CENTERED,
        @JsonProperty("dot")
        DOT,
        @JsonProperty("cosine")
        COSINE,
        @JsonProperty("learned-scale")
        LEARNED_SCALE
    }

    public SiameseNspConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        pooling = pooling == null ? Pooling.POOLER : pooling;
        objective = objective == null ? Objective.BINARY : objective;
        score = score == null ? (objective == Objective.IN_BATCH ? Score.COSINE : Score.SCALED) : score;
        temperature = temperature == null ? 0.05 : temperature;
        initScale = initScale == null ? 1 / 0.07 : initScale;
        initBias = initBias == null ? 0.0 : initBias;
        maxScale = maxScale == null ? 100.0 : maxScale;
        pairsPerEpoch = pairsPerEpoch == null ? 20000 : pairsPerEpoch;
        evalSts = evalSts == null ? List.of() : List.copyOf(evalSts);
    }

    @Override
    public void validate(String name) {
        ConfigChecks.requireLocale(name, "task.locale", locale);
        ConfigChecks.requireFile(name, "task.corpus", corpus);
        ConfigChecks.requireFiles(name, "task.eval_sts", evalSts);
        ConfigChecks.requirePooling(
                name, "task.pooling", pooling, Pooling.POOLER, Pooling.POOLER_LINEAR, Pooling.CLS, Pooling.MEAN);
        List<Score> scores = objective == Objective.BINARY
                ? List.of(Score.SCALED, Score.CENTERED, Score.DOT, Score.COSINE, Score.LEARNED_SCALE)
                : List.of(Score.COSINE, Score.SCALED, Score.DOT, Score.LEARNED_SCALE);
        if (!scores.contains(score)) {
            throw new ConfigException(name + ": field 'task.score' must be one of "
                    + scores.stream().map(ConfigChecks::name).toList() + " for objective "
                    + ConfigChecks.name(objective) + "; got " + ConfigChecks.name(score));
        }
        ConfigChecks.requirePositive(name, "task.temperature", temperature);
        ConfigChecks.requirePositive(name, "task.init_scale", initScale);
        ConfigChecks.requirePositive(name, "task.max_scale", maxScale);
        if (!Double.isFinite(initBias)) {
            throw new ConfigException(name + ": field 'task.init_bias' must be a finite number; got " + initBias);
        }
        if (initScale > maxScale) {
            throw new ConfigException(name + ": field 'task.init_scale' (" + initScale
                    + ") must not exceed 'task.max_scale' (" + maxScale + ")");
        }
        ConfigChecks.requireAtLeast(name, "task.max_docs", maxDocs, 0); // 0: all
        ConfigChecks.requirePositive(name, "task.pairs_per_epoch", pairsPerEpoch);
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(pooling);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new SiameseNspTask(this, context);
    }
}
