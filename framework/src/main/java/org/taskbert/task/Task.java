package org.taskbert.task;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.taskbert.encoder.TextEncoder;

/**
 * A fine-tuning task: its head and loss over the encoder, its batches and its evaluation (what its
 * export is comes from its config, {@link TaskConfig#exportSpec()}). A task's whole method should fit in a screen or two.
 */
public interface Task {

    /** Builds the head and loss on top of the encoder graph; returns the scalar loss. */
    SDVariable buildLoss(TaskGraph graph);

    /** The training batches, a deterministic function of the seed. */
    BatchSource batches();

    /**
     * Metrics of the current model, computed with dropout off (e.g. {@code stsb/dev.spearman}): {@code current}
     * encodes with the current encoder weights, {@code head} holds the current values of the task's own parameters.
     */
    Map<String, Double> evaluate(TextEncoder current, HeadWeights head) throws java.io.IOException;

    /**
     * The same evaluation set scored for a fixed embedding (a linear probe or cosine), for {@code compare}'s
     * task-specific against generic table; empty for a task whose metrics need its own head.
     */
    default java.util.Optional<EmbeddingEvaluation> embeddingEvaluation() throws java.io.IOException {
        return java.util.Optional.empty();
    }
}
