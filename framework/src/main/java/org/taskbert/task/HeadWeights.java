package org.taskbert.task;

import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.model.Tensor;

/**
 * The current values of a task's own parameters (the {@code head.*} variables its graph declared through
 * {@link TaskGraph#headWeight} and {@link TaskGraph#headScalar}), for its evaluation. Names are without the
 * {@code head.} prefix, as the task declared them.
 */
public record HeadWeights(Map<String, Tensor> byName) {

    public static final HeadWeights NONE = new HeadWeights(Map.of());

    public HeadWeights {
        byName = Map.copyOf(byName);
    }

    /** From checkpoint weights: every {@code head.*} entry, prefix dropped. */
    public static HeadWeights of(Map<String, Tensor> weights) {
        Map<String, Tensor> head = new TreeMap<>();
        weights.forEach((name, t) -> {
            if (name.startsWith("head.")) {
                head.put(name.substring("head.".length()), t);
            }
        });
        return new HeadWeights(head);
    }

    /** The named head weight; a missing one is an error that lists those there are. */
    public Tensor get(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no head weight '" + name + "'; the head has " + new TreeMap<>(byName).keySet());
        }
        return t;
    }

    /** The named head weight as a float32 array of its shape. */
    public INDArray array(String name) {
        Tensor t = get(name);
        return Nd4j.create(t.data(), t.shape(), 'c');
    }
}
