package org.taskbert.plugins.stsregression;

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
 * {@code task: {type: sts-regression, ...}}.
 *
 * @param train scored sentence pairs, STS JSONL ({@code {"sentence1": ..., "sentence2": ..., "score": ...}} a line)
 * @param maxScore the top of the score scale (STS-B: 5); gold scores are divided by it, to lie in [0, 1]
 * @param pooling the sentence vector trained: {@code mean} (default, as SBERT), {@code cls}, {@code pooler} or
 *     {@code max}
 * @param examplesPerEpoch pairs per pass, a fresh seeded shuffle each epoch (default: all training pairs)
 * @param evalSts STS files scored (Spearman ×100 of cosine) at each evaluation
 */
public record StsRegressionConfig(Path train, Double maxScore, String pooling, Integer examplesPerEpoch,
        List<Path> evalSts) implements TaskConfig {

    static final List<Pooling> POOLINGS = List.of(Pooling.MEAN, Pooling.CLS, Pooling.POOLER, Pooling.MAX);

    public StsRegressionConfig {
        maxScore = maxScore == null ? 5.0 : maxScore;
        pooling = pooling == null ? "mean" : pooling;
        evalSts = evalSts == null ? List.of() : List.copyOf(evalSts);
    }

    @Override
    public void validate(String name) {
        ConfigLoader.requireFile(name, "task.train", train);
        ConfigLoader.requireFiles(name, "task.eval_sts", evalSts);
        if (!(maxScore > 0) || Double.isInfinite(maxScore)) {
            throw new ConfigException(name + ": field 'task.max_score' must be a positive number, got " + maxScore);
        }
        Pooling p;
        try {
            p = Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": field 'task.pooling': " + e.getMessage());
        }
        if (!POOLINGS.contains(p)) {
            throw new ConfigException(name + ": field 'task.pooling' must be one of " + POOLINGS + ", got " + pooling);
        }
        if (examplesPerEpoch != null && examplesPerEpoch < 1) {
            throw new ConfigException(name + ": field 'task.examples_per_epoch' must be positive, got "
                    + examplesPerEpoch);
        }
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(Pooling.parse(pooling));
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new StsRegressionTask(this, context);
    }
}
