package org.taskbert.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a share of a step's micro-batches gives a distributed trainer: the gradients summed over them (dense, float32,
 * C order, by weight name), the summed loss and counts, and where the time went. Two shares add ({@link #plus}); a
 * step's total, divided by its micro-batches, is the gradient {@link Trainer} would have computed in one process.
 */
public record GradientSums(
        Map<String, float[]> sums,
        double lossSum,
        int examples,
        int microBatches,
        double forwardFlops,
        long encoderNanos,
        long headNanos)
        implements Serializable {

    /** Nothing yet: the neutral element of {@link #plus}. */
    public static GradientSums empty() {
        return new GradientSums(Map.of(), 0, 0, 0, 0, 0, 0);
    }

    /** The sum of both shares (new arrays; neither is changed). Float addition commutes, so a + b equals b + a. */
    public GradientSums plus(GradientSums other) {
        if (other.microBatches == 0) {
            return this;
        }
        if (microBatches == 0) {
            return other;
        }
        if (!sums.keySet().equals(other.sums.keySet())) {
            throw new IllegalArgumentException(
                    "gradient shares for different weights: " + sums.keySet() + " and " + other.sums.keySet());
        }
        Map<String, float[]> total = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : sums.entrySet()) {
            float[] a = e.getValue();
            float[] b = other.sums.get(e.getKey());
            if (a.length != b.length) {
                throw new IllegalArgumentException("gradient shares of " + e.getKey() + " differ in size");
            }
            float[] c = new float[a.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = a[i] + b[i];
            }
            total.put(e.getKey(), c);
        }
        return new GradientSums(
                total,
                lossSum + other.lossSum,
                examples + other.examples,
                microBatches + other.microBatches,
                forwardFlops + other.forwardFlops,
                encoderNanos + other.encoderNanos,
                headNanos + other.headNanos);
    }

    /** The number of gradient values: trainable parameters, each sent as 4 bytes. */
    public long values() {
        return sums.values().stream().mapToLong(a -> a.length).sum();
    }
}
