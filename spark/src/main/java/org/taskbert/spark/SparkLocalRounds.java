package org.taskbert.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.taskbert.train.LocalRound;
import org.taskbert.train.Trainer;

/**
 * Local SGD through Spark ({@code spark train --local-steps K}): each round broadcasts the trainer's weights and AdamW
 * moments, each of the n workers takes up to K steps alone on its share of each step's micro-batches, and
 * {@code treeAggregate} sums their weights and moments, which the trainer averages. A round moves weights and both
 * moments each way (3 × trainable parameters × 4 bytes per worker), once per K steps instead of 2 × per step.
 */
final class SparkLocalRounds implements Trainer.LocalRounds {

    private final JavaSparkContext sc;
    private final TrainJob job;
    private final int stepsPerRound;
    private final List<Integer> workerIds;
    private long rounds;
    private long steps;
    private double seconds;
    private long values;

    SparkLocalRounds(JavaSparkContext sc, TrainJob job, int stepsPerRound) {
        this.sc = sc;
        this.job = job;
        this.stepsPerRound = stepsPerRound;
        this.workerIds = IntStream.range(0, job.workers()).boxed().toList();
    }

    @Override
    public int stepsPerRound() {
        return stepsPerRound;
    }

    @Override
    public LocalRound run(long step, int count, Map<String, float[]> weights, Map<String, float[]> optimizer, long t) {
        long start = System.nanoTime();
        Broadcast<TrainJob.RoundStart> from =
                sc.broadcast(new TrainJob.RoundStart(new LinkedHashMap<>(weights), new LinkedHashMap<>(optimizer), t));
        LocalRound sum;
        try {
            sc.setJobDescription("taskbert spark train: local steps " + (step + 1) + "-" + (step + count));
            sum = sc.parallelize(workerIds, workerIds.size())
                    .map(job.round(step, count, from))
                    .treeAggregate(LocalRound.empty(), LocalRound::plus, LocalRound::plus, 2);
        } finally {
            from.destroy();
        }
        rounds++;
        steps += count;
        seconds += (System.nanoTime() - start) / 1e9;
        values = sum.values();
        return sum.averaged();
    }

    /** The summary line of the run. */
    String summary() {
        return String.format(
                "spark: local SGD, %d steps in %d rounds over %d workers, %.3f s a step in Spark (mean); each round"
                        + " sent %d values (weights and AdamW moments, %.2f MB) to each worker and got as many back",
                steps, rounds, workerIds.size(), steps == 0 ? Double.NaN : seconds / steps, values, values * 4 / 1e6);
    }
}
