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
}
