package org.taskbert.spi;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A fine-tuning task: its head and loss over the encoder, its batches and its evaluation (what its
 * export is comes from its config, {@link TaskConfig#exportSpec()}). A task's whole method should fit in a screen or two.
 */
public interface Task {

    /** Builds the head and loss on top of the encoder's outputs; returns the scalar loss. */
    SDVariable buildLoss(TaskGraph graph);

    /** The training batches, a deterministic function of the seed. */
    BatchSource batches();

    /**
     * Metrics of the current model, computed with dropout off (e.g. {@code stsb/dev.spearman}, ×100 where a metric
     * is a fraction): {@code context} encodes texts with the current encoder and runs the task's own head.
     */
    Map<String, Double> evaluate(EvaluationContext context) throws IOException;

    /**
     * The same evaluation set scored for a fixed embedding (a linear probe or cosine), for {@code compare}'s
     * task-specific against generic table; empty for a task whose metrics need its own head.
     */
    default Optional<EmbeddingEvaluation> embeddingEvaluation() throws IOException {
        return Optional.empty();
    }
}
