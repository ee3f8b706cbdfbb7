package org.taskbert.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.LoadedModel;
import org.taskbert.spi.Task;
import org.taskbert.spi.config.ConfigException;

/**
 * A worker of a distributed trainer: the run's model and task built as {@link Trainer} builds them, which, given the
 * step's trainable weights, computes the gradient sums of a share of the step's micro-batches (the same batches and
 * dropout masks as in one process: {@link StepMicroBatches}). Not thread-safe: one per concurrent task.
 */
public final class MicroBatchWorker {

    private final FineTuning ft;
    private final Map<String, INDArray> params;
    private final StepMicroBatches work;
    private final TrainConfig.Training t;

    /** {@code model} is the run's base model (its frozen weights stay as they are); {@code cfg} validated. */
    public MicroBatchWorker(TrainConfig cfg, String taskName, LoadedModel model) throws java.io.IOException {
        TrainConfig.Training t = cfg.training();
        this.t = t;
        ModelTaskContext context = new ModelTaskContext(model, t.maxLength(), t.batchSize(), cfg.seed());
        Task task = cfg.task().create(context);
        this.ft = Trainer.fineTuning(t, taskName, task, model);
        if (ft.bert().wordGradient() != null) {
            throw new ConfigException("training.train_layers: " + t.trainLayers() + " trains the word table, which"
                    + " only `taskbert train` does; set it below the layer count "
                    + model.config().numLayers());
        }
        this.params = ft.denseParameters();
        this.work = new StepMicroBatches(taskName, task.batches(), t.gradAccumulation(), t.dropout(), cfg.seed());
    }

    /** The trained weights' names and sizes, in the order the trainer keeps them. */
    public Map<String, Long> trainableSizes() {
        Map<String, Long> sizes = new LinkedHashMap<>();
        params.forEach((name, value) -> sizes.put(name, value.length()));
        return sizes;
    }

    /**
     * Loads {@code trainable} (every trained weight, as {@link Trainer.RemoteGradients} receives them), then runs
     * micro-batches {@code from} to {@code to} (exclusive) of {@code step}: their gradients summed, and their losses.
     */
    public GradientSums compute(long step, int from, int to, Map<String, float[]> trainable) {
        if (!trainable.keySet().equals(params.keySet())) {
            throw new IllegalArgumentException(
                    "the trainer's weights " + trainable.keySet() + " are not this worker's " + params.keySet());
        }
        params.forEach((name, value) -> value.assign(Nd4j.create(trainable.get(name), value.shape(), DataType.FLOAT)));
        ft.zeroGradients();
        if (from >= to) {
            return GradientSums.empty();
        }
        StepMicroBatches.Totals totals = work.run(ft, step, from, to);
        int k = to - from;
        Map<String, float[]> sums = new LinkedHashMap<>();
        // FineTuning gives the mean over the micro-batches run; k times it is their sum (exact when k is a power of 2)
        ft.gradients(k).forEach((name, g) -> {
            INDArray sum = k > 1 ? g.mul(k) : g;
            sums.put(name, NdTensors.toTensor(sum).data());
        });
        return new GradientSums(
                sums,
                totals.lossSum(),
                totals.examples(),
                k,
                totals.forwardFlops(),
                totals.encoderNanos(),
                totals.headNanos());
    }

    /**
     * A round of local SGD: loads {@code trainable} and the AdamW state {@code optimizer} (after {@code t} steps),
     * then takes steps {@code step} to {@code step + steps - 1} alone, each on micro-batches {@code from} to {@code to}
     * of that step (their mean gradient, clipped by its own norm, one AdamW step at the schedule's rate), and returns
     * its weights, its optimiser state and each step's loss sum, examples and gradient norm.
     */
    public LocalRound localRound(
            long step,
            int steps,
            int from,
            int to,
            Map<String, float[]> trainable,
            Map<String, float[]> optimizer,
            long t0) {
        if (from >= to) {
            throw new IllegalArgumentException("a local-SGD worker needs one micro-batch a step at least");
        }
        params.forEach((name, value) -> value.assign(Nd4j.create(trainable.get(name), value.shape(), DataType.FLOAT)));
        AdamW adam = Trainer.adamW(t, params);
        if (t0 > 0) {
            Map<String, org.taskbert.model.Tensor> state = new LinkedHashMap<>();
            optimizer.forEach((key, values) -> state.put(
                    key,
                    new org.taskbert.model.Tensor(
                            params.get(key.substring(0, key.lastIndexOf('/'))).shape(), values)));
            adam.loadState(state, t0);
        }
        LearningRateSchedule lr = new LearningRateSchedule(t.lr(), Math.min(t.warmupSteps(), t.steps()), t.steps());
        double[] losses = new double[steps];
        int[] examples = new int[steps];
        double[] norms = new double[steps];
        for (int i = 0; i < steps; i++) {
            ft.zeroGradients();
            StepMicroBatches.Totals totals = work.run(ft, step + i, from, to);
            Map<String, INDArray> grads = ft.gradients(to - from);
            double norm = GradientClipping.globalNorm(grads);
            double rate = lr.at(step + i);
            double headRate = rate * t.headLr() / t.lr();
            adam.step(
                    params,
                    grads,
                    name -> name.startsWith("head.") ? headRate : rate,
                    GradientClipping.scale(norm, t.clipNorm()));
            losses[i] = totals.lossSum();
            examples[i] = totals.examples();
            norms[i] = norm;
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        params.forEach(
                (name, value) -> weights.put(name, NdTensors.toTensor(value).data()));
        Map<String, float[]> moments = new LinkedHashMap<>();
        adam.stateTensors().forEach((key, value) -> moments.put(key, value.data()));
        return new LocalRound(weights, moments, losses, examples, norms, (to - from) * steps, 1);
    }
}
