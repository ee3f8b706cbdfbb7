package org.taskbert.train;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What workers of local SGD give back after a round of K steps, each from the same weights and optimiser state, each
 * with its own AdamW on its share of each step's micro-batches: their trainable weights and optimiser moments (by
 * {@link AdamW#stateTensors()} name), summed over workers, and per step the summed losses, examples and gradient
 * norms. {@link #averaged()} divides by the number of workers.
 */
public record LocalRound(
        Map<String, float[]> weights,
        Map<String, float[]> optimizer,
        double[] lossSums,
        int[] examples,
        double[] gradNorms,
        int microBatches,
        int workers)
        implements Serializable {

    public static LocalRound empty() {
        return new LocalRound(Map.of(), Map.of(), new double[0], new int[0], new double[0], 0, 0);
    }

    /** Both workers' sums (new arrays). */
    public LocalRound plus(LocalRound o) {
        if (o.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return o;
        }
        double[] loss = lossSums.clone();
        int[] ex = examples.clone();
        double[] norms = gradNorms.clone();
        for (int i = 0; i < loss.length; i++) {
            loss[i] += o.lossSums[i];
            ex[i] += o.examples[i];
            norms[i] += o.gradNorms[i];
        }
        return new LocalRound(
                add(weights, o.weights),
                add(optimizer, o.optimizer),
                loss,
                ex,
                norms,
                microBatches + o.microBatches,
                workers + o.workers);
    }

    /** The weights and moments averaged over the workers (the losses and counts stay sums, the norms are averaged). */
    public LocalRound averaged() {
        float scale = 1f / workers;
        double[] norms = gradNorms.clone();
        for (int i = 0; i < norms.length; i++) {
            norms[i] /= workers;
        }
        return new LocalRound(
                scaled(weights, scale), scaled(optimizer, scale), lossSums, examples, norms, microBatches, 1);
    }

    /** The number of values sent each way per worker: weights and both moments. */
    public long values() {
        return weights.values().stream().mapToLong(a -> a.length).sum()
                + optimizer.values().stream().mapToLong(a -> a.length).sum();
    }

    private static Map<String, float[]> add(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException("local rounds for different weights: " + a.keySet() + ", " + b.keySet());
        }
        Map<String, float[]> out = new LinkedHashMap<>();
        a.forEach((name, x) -> {
            float[] y = b.get(name);
            float[] z = new float[x.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = x[i] + y[i];
            }
            out.put(name, z);
        });
        return out;
    }

    private static Map<String, float[]> scaled(Map<String, float[]> a, float s) {
        Map<String, float[]> out = new LinkedHashMap<>();
        a.forEach((name, x) -> {
            float[] z = new float[x.length];
            for (int i = 0; i < z.length; i++) {
                z[i] = x[i] * s;
            }
            out.put(name, z);
        });
        return out;
    }
}
