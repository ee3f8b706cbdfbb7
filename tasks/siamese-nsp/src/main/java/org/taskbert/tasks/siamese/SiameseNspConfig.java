package org.taskbert.tasks.siamese;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.taskbert.config.ConfigException;
import org.taskbert.config.ConfigLoader;
import org.taskbert.encoder.Pooling;
import org.taskbert.task.ExportSpec;
import org.taskbert.task.Task;
import org.taskbert.task.TaskConfig;
import org.taskbert.task.TaskContext;

/**
 * {@code task: {type: siamese-nsp, ...}}.
 *
 * @param corpus documents (JSONL, optionally gzipped, with {@code text}; paragraphs split by blank lines)
 * @param maxDocs read at most this many documents (0 = all)
 * @param locale the sentence splitter's locale ({@code en}, {@code ja}, ...)
 * @param pooling {@code pooler} (default, BERT's pooled_output), {@code cls} or {@code mean}
 * @param objective {@code binary} (is-next against random, cross-entropy) or {@code in-batch} (softmax over the batch)
 * @param score {@code scaled} (s·⟨u,v⟩+b, s and b learned), {@code dot}, {@code centered} (binary:
 *     s·(⟨u,v⟩ − ⟨ū,v̄⟩)+b, the batch's mean A×B inner product taken out), or {@code cosine} (in-batch: cos/temperature)
 * @param temperature for {@code cosine}
 * @param pairsPerEpoch pairs drawn for each pass (a fresh draw each epoch)
 * @param evalSts STS files scored (Spearman ×100 of cosine) at each evaluation
 */
public record SiameseNspConfig(Path corpus, Integer maxDocs, String locale, String pooling, String objective,
        String score, Double temperature, Integer pairsPerEpoch, List<Path> evalSts) implements TaskConfig {

    public SiameseNspConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        pooling = pooling == null ? "pooler" : pooling;
        objective = objective == null ? "binary" : objective;
        score = score == null ? (objective.equals("in-batch") ? "cosine" : "scaled") : score;
        temperature = temperature == null ? 0.05 : temperature;
        pairsPerEpoch = pairsPerEpoch == null ? 20000 : pairsPerEpoch;
        evalSts = evalSts == null ? List.of() : List.copyOf(evalSts);
    }

    @Override
    public void validate(String name) {
        ConfigLoader.requireFile(name, "task.corpus", corpus);
        ConfigLoader.requireFiles(name, "task.eval_sts", evalSts);
        Pooling p;
        try {
            p = Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": field 'task.pooling': " + e.getMessage());
        }
        if (p != Pooling.POOLER && p != Pooling.CLS && p != Pooling.MEAN) {
            throw new ConfigException(name + ": field 'task.pooling' must be pooler, cls or mean, got " + pooling);
        }
        if (!List.of("binary", "in-batch").contains(objective)) {
            throw new ConfigException(name + ": field 'task.objective' must be binary or in-batch, got " + objective);
        }
        List<String> scores = objective.equals("binary") ? List.of("scaled", "centered", "dot")
                : List.of("cosine", "scaled", "dot");
        if (!scores.contains(score)) {
            throw new ConfigException(name + ": field 'task.score' must be one of " + scores + " for objective "
                    + objective + "; got " + score);
        }
        if (temperature <= 0) {
            throw new ConfigException(name + ": field 'task.temperature' must be positive");
        }
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(Pooling.parse(pooling));
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new SiameseNspTask(this, context);
    }
}
