package org.taskbert.task;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training micro-batch: values for the graph's placeholders, the encoder's batch shape (for
 * dropout masks), and how many examples it holds.
 */
public record Batch(Map<String, INDArray> placeholders, int rows, int time, int examples) { }
