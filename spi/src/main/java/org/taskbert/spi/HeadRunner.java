package org.taskbert.spi;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs the task's own head, as {@link Task#buildLoss} built it, on the current weights: the encoder (dropout off) on
 * the batch's sequences, then the head graph; returns the values of the named variables (named through
 * {@link TaskGraph#output}). Placeholders a requested variable does not depend on (labels, say) may be left out.
 */
public interface HeadRunner {

    Map<String, INDArray> run(Batch batch, String... variables);
}
