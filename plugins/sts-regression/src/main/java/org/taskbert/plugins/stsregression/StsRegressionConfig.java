package org.taskbert.plugins.stsregression;

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
 * {@code task: {type: sts-regression, ...}}.
 *
 * @param train scored sentence pairs, STS JSONL ({@code {"sentence1": ..., "sentence2": ..., "score": ...}} a line)
 * @param maxScore the top of the score scale (STS-B: 5); gold scores are divided by it, to lie in [0, 1]
 * @param pooling the sentence vector trained: {@code mean} (default, as SBERT), {@code cls}, {@code pooler} or
 *     {@code max}
 * @param examplesPerEpoch pairs per pass, a fresh seeded shuffle each epoch (default: all training pairs)
 * @param evalSts STS files scored (Spearman ×100 of cosine) at each evaluation
 */
public record StsRegressionConfig(Path train, Double maxScore, Pooling pooling, Integer examplesPerEpoch,
        List<Path> evalSts) implements TaskConfig {

    public StsRegressionConfig {
        maxScore = maxScore == null ? 5.0 : maxScore;
        pooling = pooling == null ? Pooling.MEAN : pooling;
        evalSts = evalSts == null ? List.of() : List.copyOf(evalSts);
    }

    @Override
    public void validate(String name) {
        ConfigChecks.requireFile(name, "task.train", train);
        ConfigChecks.requireFiles(name, "task.eval_sts", evalSts);
        if (!(maxScore > 0) || Double.isInfinite(maxScore)) {
            throw new ConfigException(name + ": field 'task.max_score' must be a positive number, got " + maxScore);
        }
        ConfigChecks.requirePooling(name, "task.pooling", pooling, Pooling.MEAN, Pooling.CLS, Pooling.POOLER,
                Pooling.MAX);
        if (examplesPerEpoch != null) {
            ConfigChecks.requirePositive(name, "task.examples_per_epoch", examplesPerEpoch);
        }
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(pooling);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new StsRegressionTask(this, context);
    }
}
