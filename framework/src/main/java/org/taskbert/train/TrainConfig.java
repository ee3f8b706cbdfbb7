package org.taskbert.train;

import java.nio.file.Path;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;

/**
 * A training run: the model to start from, the task (selected by {@code task.type}), the
 * optimisation, the seed and the run folder.
 */
public record TrainConfig(String model, TaskConfig task, Training training, Long seed, Path output) {

    /** The shortest {@code training.max_length}: [CLS], one token, [SEP]. */
    public static final int MIN_LENGTH = 3;

    /**
     * Optimisation and bookkeeping. Only the top {@code trainLayers} transformer layers (and the
     * pooler, and the task's head) are trained; frozen layers get no backward pass and no optimiser
     * state. {@code trainLayers: -1} trains all layers and the embeddings. {@code headLr} is the peak learning rate of
     * the task's own parameters ({@code head.*}, new and randomly or specially initialised), which often need far
     * more than the pretrained encoder; it follows the same warm-up and decay, and defaults to {@code lr}. The
     * rate decays linearly to 0 at {@code decaySteps} (default {@code steps}); a run shorter than its schedule, as
     * SimCSE's first few hundred of one epoch's 15,625 steps, sets it higher.
     */
    public record Training(
            Integer steps,
            Integer batchSize,
            Integer gradAccumulation,
            Double lr,
            Double headLr,
            Integer warmupSteps,
            Integer decaySteps,
            Double weightDecay,
            Double clipNorm,
            Double dropout,
            Integer trainLayers,
            Boolean trainPooler,
            Integer maxLength,
            Integer evalEvery,
            Integer checkpointEvery,
            Integer keepCheckpoints,
            String bestMetric,
            Integer logEvery,
            Double adamEpsilon) {

        public Training {
            steps = steps == null ? 1000 : steps;
            batchSize = batchSize == null ? 16 : batchSize;
            gradAccumulation = gradAccumulation == null ? 1 : gradAccumulation;
            lr = lr == null ? 2e-5 : lr;
            headLr = headLr == null ? lr : headLr;
            warmupSteps = warmupSteps == null ? steps / 10 : warmupSteps;
            decaySteps = decaySteps == null ? steps : decaySteps;
            weightDecay = weightDecay == null ? 0.01 : weightDecay;
            clipNorm = clipNorm == null ? 1.0 : clipNorm;
            dropout = dropout == null ? 0.1 : dropout;
            trainLayers = trainLayers == null ? -1 : trainLayers;
            trainPooler = trainPooler == null ? Boolean.TRUE : trainPooler;
            maxLength = maxLength == null ? 128 : maxLength;
            evalEvery = evalEvery == null ? 200 : evalEvery;
            checkpointEvery = checkpointEvery == null ? evalEvery : checkpointEvery;
            keepCheckpoints = keepCheckpoints == null ? 2 : keepCheckpoints;
            logEvery = logEvery == null ? 10 : logEvery;
            // BERT's optimiser uses 1e-6; Hugging Face's Trainer (so SimCSE) 1e-8. It matters once gradients are
            // tiny: with ε above a parameter's gradient RMS, Adam's steps shrink well below the learning rate.
            adamEpsilon = adamEpsilon == null ? 1e-6 : adamEpsilon;
        }
    }

    public TrainConfig {
        training = training == null
                ? new Training(
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, null)
                : training;
        seed = seed == null ? 42L : seed;
    }

    /**
     * Checks every field's range, before anything is loaded; a failure names the field ({@code training.lr}). The
     * task's own fields are checked by its {@link TaskConfig#validate}.
     */
    public TrainConfig validate(String name) {
        if (model == null || model.isBlank()) {
            throw new ConfigException(name + ": missing required field 'model'");
        }
        if (task == null) {
            throw new ConfigException(name + ": missing required field 'task' (task: {type: <name>, ...})");
        }
        if (output == null || output.toString().isBlank()) {
            throw new ConfigException(name + ": missing required field 'output' (the run folder)");
        }
        Training t = training;
        ConfigChecks.requirePositive(name, "training.steps", t.steps());
        ConfigChecks.requirePositive(name, "training.batch_size", t.batchSize());
        ConfigChecks.requirePositive(name, "training.grad_accumulation", t.gradAccumulation());
        ConfigChecks.requirePositive(name, "training.lr", t.lr());
        ConfigChecks.requirePositive(name, "training.head_lr", t.headLr());
        ConfigChecks.requireAtLeast(name, "training.warmup_steps", t.warmupSteps(), 0);
        if (t.decaySteps() < t.steps()) {
            throw new ConfigException(name + ": field 'training.decay_steps' must be at least training.steps ("
                    + t.steps() + ": the rate would be 0 for the last steps), got " + t.decaySteps());
        }
        ConfigChecks.requireNonNegative(name, "training.weight_decay", t.weightDecay());
        ConfigChecks.requireNonNegative(name, "training.clip_norm", t.clipNorm()); // 0: no clipping
        if (!(t.dropout() >= 0 && t.dropout() < 1)) {
            throw new ConfigException(name + ": field 'training.dropout' must be in [0, 1), got " + t.dropout());
        }
        if (t.trainLayers() < -1) {
            throw new ConfigException(name + ": field 'training.train_layers' must be -1 (all layers and the"
                    + " embeddings) or the number of top layers to train (0 or more), got " + t.trainLayers());
        }
        if (t.maxLength() < MIN_LENGTH) {
            throw new ConfigException(name + ": field 'training.max_length' must be at least " + MIN_LENGTH
                    + " ([CLS], one token, [SEP]), got " + t.maxLength());
        }
        ConfigChecks.requirePositive(name, "training.eval_every", t.evalEvery());
        ConfigChecks.requirePositive(name, "training.checkpoint_every", t.checkpointEvery());
        ConfigChecks.requirePositive(name, "training.keep_checkpoints", t.keepCheckpoints());
        if (t.bestMetric() != null && t.bestMetric().isBlank()) {
            throw new ConfigException(name + ": field 'training.best_metric' must name a metric, got an empty one");
        }
        ConfigChecks.requirePositive(name, "training.log_every", t.logEvery());
        ConfigChecks.requirePositive(name, "training.adam_epsilon", t.adamEpsilon());
        task.validate(name);
        return this;
    }
}
