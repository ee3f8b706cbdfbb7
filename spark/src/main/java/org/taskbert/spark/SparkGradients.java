package org.taskbert.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.taskbert.train.GradientSums;
import org.taskbert.train.Trainer;

/**
 * A step's gradients through Spark: the trainable weights go to the workers by broadcast, each of the n workers (one
 * task each) computes its share of the step's micro-batches, and the shares are summed by {@code treeAggregate}. The
 * trainer then takes one optimiser step on the driver. Per step, each worker receives the trainable weights and
 * sends back as many gradient values: trainable parameters × 4 bytes × 2 per worker.
 */
final class SparkGradients implements Trainer.RemoteGradients {

    /** What the steps cost, for the run's summary line. */
    record Totals(long steps, double medianSeconds, double medianWorkerSeconds, long valuesPerStep) {}

    private final JavaSparkContext sc;
    private final TrainJob job;
    private final List<Integer> workerIds;
    private final List<Double> seconds = new java.util.ArrayList<>();
    private final List<Double> workerSeconds = new java.util.ArrayList<>();
    private long values;

    SparkGradients(JavaSparkContext sc, TrainJob job) {
        this.sc = sc;
        this.job = job;
        this.workerIds = IntStream.range(0, job.workers()).boxed().toList();
    }

    @Override
    public GradientSums compute(long step, Map<String, float[]> trainable) {
        long start = System.nanoTime();
        Broadcast<Map<String, float[]>> weights = sc.broadcast(new LinkedHashMap<>(trainable));
        GradientSums sums;
        try {
            sc.setJobDescription("taskbert spark train: step " + (step + 1));
            sums = sc.parallelize(workerIds, workerIds.size())
                    .map(job.step(step, weights))
                    .treeAggregate(GradientSums.empty(), GradientSums::plus, GradientSums::plus, 2);
        } finally {
            weights.destroy();
        }
        seconds.add((System.nanoTime() - start) / 1e9);
        workerSeconds.add((sums.encoderNanos() + sums.headNanos()) / 1e9);
        values = sums.values();
        return sums;
    }

    /** The steps so far: medians, so that the first step (where each worker builds its model and task) is not averaged in. */
    Totals totals() {
        return new Totals(seconds.size(), median(seconds), median(workerSeconds), values);
    }

    private static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = xs.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
