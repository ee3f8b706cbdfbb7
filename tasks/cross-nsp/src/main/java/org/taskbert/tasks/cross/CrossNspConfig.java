package org.taskbert.tasks.cross;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.taskbert.spi.ExportSpec;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.config.ConfigChecks;

/**
 * {@code task: {type: cross-nsp, ...}}: pairs drawn as for siamese-nsp, but encoded jointly.
 *
 * @param evalSts STS files scored with single-sentence {@code pooler} vectors at each evaluation: the note's
 *     claim is that these stay poor after cross-encoder NSP training
 */
public record CrossNspConfig(Path corpus, Integer maxDocs, String locale, Integer pairsPerEpoch, List<Path> evalSts)
        implements TaskConfig {

    public CrossNspConfig {
        maxDocs = maxDocs == null ? 0 : maxDocs;
        locale = locale == null ? "en" : locale;
        pairsPerEpoch = pairsPerEpoch == null ? 20000 : pairsPerEpoch;
        evalSts = evalSts == null ? List.of() : List.copyOf(evalSts);
    }

    @Override
    public void validate(String name) {
        ConfigChecks.requireLocale(name, "task.locale", locale);
        ConfigChecks.requireFile(name, "task.corpus", corpus);
        ConfigChecks.requireFiles(name, "task.eval_sts", evalSts);
        ConfigChecks.requireAtLeast(name, "task.max_docs", maxDocs, 0); // 0: all
        ConfigChecks.requirePositive(name, "task.pairs_per_epoch", pairsPerEpoch);
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(Pooling.POOLER);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new CrossNspTask(this, context);
    }
}
