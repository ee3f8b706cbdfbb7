package org.taskbert.train;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sums the gradients of k micro-batches and averages them. The sums are copies (the arrays SameDiff returns may be
 * reused), allocated on the first {@link #add} and reused after each {@link #reset()}. Every micro-batch must give
 * gradients for the same parameters.
 */
public final class GradientAccumulator {

    private final Map<String, INDArray> sums = new LinkedHashMap<>();
    private int count;
    private boolean averaged;

    /** Adds one micro-batch's gradients (copied, never kept by reference). */
    public void add(Map<String, INDArray> grads) {
        if (averaged) {
            throw new IllegalStateException("averaged() was taken; reset() before adding more gradients");
        }
        if (count > 0 && !grads.keySet().equals(sums.keySet())) {
            throw new IllegalArgumentException(
                    "micro-batch gradients are for " + grads.keySet() + ", earlier ones for " + sums.keySet());
        }
        if (count == 0) {
            sums.keySet().retainAll(grads.keySet());
        }
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            INDArray sum = sums.get(e.getKey());
            if (sum != null && !Arrays.equals(sum.shape(), e.getValue().shape())) {
                if (count > 0) {
                    throw new IllegalArgumentException(
                            "gradient of " + e.getKey() + " changed shape between micro-batches");
                }
                sum = null;
            }
            if (sum == null) {
                try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    sums.put(e.getKey(), e.getValue().dup('c'));
                }
            } else if (count == 0) {
                sum.assign(e.getValue());
            } else {
                sum.addi(e.getValue());
            }
        }
        count++;
    }

    /**
     * The average of the gradients added since the last reset: the sums divided in place by the count. The arrays
     * belong to the accumulator and stay valid (and may be modified, e.g. clipped) until the next {@link #reset()}.
     */
    public Map<String, INDArray> averaged() {
        if (count == 0) {
            throw new IllegalStateException("no gradients added since the last reset");
        }
        if (!averaged) {
            if (count > 1) {
                for (INDArray sum : sums.values()) {
                    sum.divi(count);
                }
            }
            averaged = true;
        }
        return Collections.unmodifiableMap(sums);
    }

    /** Starts a new accumulation (the buffers are kept for reuse). */
    public void reset() {
        count = 0;
        averaged = false;
    }

    /** The number of micro-batches added since the last reset. */
    public int count() {
        return count;
    }
}
