package org.taskbert.task;

/**
 * Training batches as a deterministic function of (epoch, index), so that a resumed run continues
 * exactly where a killed one stopped.
 */
public interface BatchSource {

    int batchesPerEpoch();

    Batch batch(long epoch, int index);
}
