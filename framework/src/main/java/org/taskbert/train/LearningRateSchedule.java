package org.taskbert.train;

/**
 * BERT's learning-rate schedule: linear warm-up from 0 to the peak over {@code warmupSteps}, then linear decay to 0
 * at {@code totalSteps}.
 *
 * <p>Steps are 0-based: {@code at(s)} is the rate for the update of step {@code s}. During warm-up the rate is
 * {@code peak * (s + 1) / warmupSteps}, so step 0 already moves the weights and step {@code warmupSteps - 1} reaches
 * the peak. From step {@code warmupSteps} on it is {@code peak * (totalSteps - s) / (totalSteps - warmupSteps)}: the
 * peak again at {@code s = warmupSteps}, {@code peak / (totalSteps - warmupSteps)} at the last step
 * {@code totalSteps - 1}, and 0 at {@code totalSteps} and beyond. No update of a run is wasted on a zero rate.
 */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("peak learning rate must be positive and finite, got " + peak);
        }
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("total steps must be positive, got " + totalSteps);
        }
        if (warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException(
                    "warm-up steps must be in [0, total steps = " + totalSteps + "], got " + warmupSteps);
        }
    }

    /** The rate for the update of 0-based step {@code step}. */
    public double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step >= totalSteps) {
            return 0;
        }
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        return peak * (totalSteps - step) / (totalSteps - warmupSteps);
    }
}
