package org.taskbert.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a training run stands, saved as {@code state.json} with each checkpoint.
 *
 * @param step optimizer steps taken (also the AdamW step count {@code t})
 * @param examplesSeen training examples consumed so far
 * @param dataEpoch the current pass over the training data (0-based)
 * @param dataPosition index of the next batch in this epoch's order
 * @param seed the run's random seed
 * @param bestMetric the best evaluation metric so far, NaN if none yet
 * @param bestCheckpoint folder name of the best checkpoint (e.g. {@code step-00000100}), null if none
 * @param configHash {@link RunInputs#hash()} of the run's inputs (its normalised config and data files), to refuse
 *     resuming with different ones
 * @param lastMetrics the metrics of the last evaluation (insertion order kept; never null)
 * @param inputs the run's inputs, to say what differs; null in a state written before they were kept
 */
public record TrainerState(
        long step,
        long examplesSeen,
        long dataEpoch,
        long dataPosition,
        long seed,
        double bestMetric,
        String bestCheckpoint,
        String configHash,
        Map<String, Double> lastMetrics,
        RunInputs inputs) {

    public TrainerState {
        lastMetrics = lastMetrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(lastMetrics));
    }
}
