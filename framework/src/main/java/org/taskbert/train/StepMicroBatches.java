package org.taskbert.train;

import java.util.SplittableRandom;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchSource;

/**
 * The micro-batches of an optimiser step: micro-batch m of step s is the task's batch number s·k + m (k micro-batches
 * a step, counted over epochs), its dropout masks drawn from a generator seeded by (seed, s·k + m). Any process that
 * runs a share of them runs the same batches with the same masks, so a step split over workers is the step of one
 * process.
 */
final class StepMicroBatches {

    /** The totals of the micro-batches run. */
    record Totals(
            double lossSum, int examples, int microBatches, double forwardFlops, long encoderNanos, long headNanos) {}

    private final String taskName;
    private final BatchSource batches;
    private final int perStep;
    private final double dropout;
    private final long seed;

    StepMicroBatches(String taskName, BatchSource batches, int perStep, double dropout, long seed) {
        this.taskName = taskName;
        this.batches = batches;
        this.perStep = perStep;
        this.dropout = dropout;
        this.seed = seed;
    }

    /** Runs micro-batches {@code from} (inclusive) to {@code to} of {@code step}; their gradients add up in ft. */
    Totals run(FineTuning ft, long step, int from, int to) {
        double lossSum = 0;
        int examples = 0;
        double forwardFlops = 0;
        long encoderNanos = 0;
        long headNanos = 0;
        for (int m = from; m < to; m++) {
            long global = step * perStep + m;
            Batch batch = batch(global / batches.batchesPerEpoch(), (int) (global % batches.batchesPerEpoch()));
            FineTuning.MicroBatch mb =
                    ft.accumulate(batch, dropout, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + global));
            lossSum += mb.loss();
            examples += mb.examples();
            forwardFlops += mb.forwardFlops();
            encoderNanos += mb.encoderNanos();
            headNanos += mb.headNanos();
        }
        return new Totals(lossSum, examples, to - from, forwardFlops, encoderNanos, headNanos);
    }

    /** A batch of the task's; a failure in the task's batch code names the task and the batch. */
    private Batch batch(long epoch, int index) {
        try {
            return batches.batch(epoch, index);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "task '" + taskName + "': its batch " + index + " of epoch " + epoch + " failed: " + e.getMessage(),
                    e);
        }
    }
}
