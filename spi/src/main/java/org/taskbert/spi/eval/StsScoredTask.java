package org.taskbert.spi.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;

/**
 * A task whose metrics are the Spearman ×100 of cosine on STS files for the sentence vector it trains: its
 * evaluation and its embedding evaluation come from {@link #sts()}, named {@code stsb/dev.spearman}.
 */
public interface StsScoredTask extends Task {

    /** What the task is scored on: the files, the pooling it trains, the token limit for compare's fixed vectors. */
    record Sts(List<Path> files, Pooling pooling, int maxLength) {}

    Sts sts();

    @Override
    default Map<String, Double> evaluate(EvaluationContext context) throws IOException {
        return StsEvaluation.spearmanByFile(context.encoder(), sts().files(), sts().pooling());
    }

    @Override
    default Optional<EmbeddingEvaluation> embeddingEvaluation() throws IOException {
        return Optional.of(StsEvaluation.embeddingEvaluation(sts().files(), sts().maxLength()));
    }
}
