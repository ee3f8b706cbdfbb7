package org.taskbert.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.bench.Flops;
import org.taskbert.encoder.Bert;
import org.taskbert.encoder.Blas;
import org.taskbert.encoder.Dropout;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.encoder.Tokens;
import org.taskbert.encoder.WordGradient;
import org.taskbert.model.BertWeights;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.model.Tensor;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.Task;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;

/**
 * The training loop: AdamW with warm-up and linear decay, global-norm clipping, gradient
 * accumulation, dropout while training, evaluation every N steps keeping the best checkpoint,
 * atomic checkpoints every N steps, and exact resumption of a killed run.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** Reports progress to a console or a test. */
    public interface Listener {
        void started(long fromStep, long totalSteps);

        void step(long step, double loss, double examplesPerSecond);

        Listener NONE = new Listener() {
            @Override
            public void started(long fromStep, long totalSteps) {
            }

            @Override
            public void step(long step, double loss, double examplesPerSecond) {
            }
        };
    }

    /** The run stopped because the loss stopped being a number. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }

    private final TrainConfig cfg;
    private final TrainConfig.Training t;
    private final String configText;
    private final Path runDir;

    public Trainer(TrainConfig cfg, String configText) {
        this.cfg = cfg;
        this.t = cfg.training();
        this.configText = configText;
        this.runDir = cfg.output();
    }

    public TrainerState run(boolean resume, Listener listener) throws IOException {
        Checkpoints.checkWritable(runDir, 0); // fail before anything is loaded; space is checked below
        Optional<Checkpoints.Loaded> previous = Checkpoints.latest(runDir);
        if (previous.isPresent() && !resume) {
            throw new IllegalStateException("the run folder " + runDir + " already holds checkpoints: pass --resume"
                    + " to continue it, or choose another output");
        }
        String hash = Integer.toHexString(configText.hashCode());
        if (previous.isPresent() && !hash.equals(previous.get().state().configHash())) {
            throw new IllegalStateException("cannot resume " + runDir + ": its config differs from this one"
                    + " (the saved one is " + runDir.resolve("config.yaml") + ")");
        }
        LoadedModel model = Models.load(cfg.model());
        long weightBytes = 4L * model.weights().all().values().stream().mapToLong(x -> x.data().length).sum();
        Checkpoints.checkWritable(runDir, 3 * weightBytes);
        Files.writeString(runDir.resolve("config.yaml"), configText, StandardCharsets.UTF_8);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("base_model", cfg.model());
        run.put("pooling", cfg.task().exportSpec().pooling().id());
        json.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve(org.taskbert.model.RunFolder.RUN_JSON).toFile(), run);
        if (previous.isPresent()) {
            model = new LoadedModel(model.name(), withWeights(model.weights(), previous.get().weights()),
                    model.vocabFile(), model.lowerCase());
        }
        Task task = cfg.task().create(new TaskContext(model, model.tokenizer(), t.maxLength(), t.batchSize(), cfg.seed()));

        // The encoder is the hand-written one (forward and backward over packed tokens); the task's head and loss are
        // a SameDiff graph over its outputs, which enter as placeholders.
        int layers = model.config().numLayers();
        Bert bert = new Bert(model.weights(), frozenLayers(layers), t.trainLayers() < 0 || t.trainLayers() >= layers,
                t.trainPooler());
        SameDiff sd = SameDiff.create();
        HeadInputs encoderOutputs = new HeadInputs(sd, model.config());
        SDVariable loss = task.buildLoss(new TaskGraph(sd, encoderOutputs));
        sd.setLossVariables(loss);
        if (!encoderOutputs.used() && bert.trains()) {
            throw new org.taskbert.config.ConfigException("the task reads no encoder output (its inputs are fixed"
                    + " vectors, as with task.sentence_encoder: frozen), so no encoder weight can train: set"
                    + " training.train_layers: 0 and training.train_pooler: false");
        }
        Map<String, INDArray> head = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !v.name().equals(HeadInputs.ANCHOR)) {
                head.put(v.name(), v.getArr());
            }
        }
        Map<String, INDArray> encoderParams = bert.parameters();
        INDArray wordTable = encoderParams.remove(WordGradient.NAME); // updated sparsely, by rows
        AdamW adam = new AdamW(0.9, 0.999, 1e-6, t.weightDecay(), AdamW.BERT_NO_DECAY);
        TrainerState state = new TrainerState(0, 0, 0, 0, cfg.seed(), Double.NaN, null, hash, Map.of());
        if (previous.isPresent()) {
            Checkpoints.Loaded p = previous.get();
            for (Map.Entry<String, Tensor> e : p.weights().entrySet()) {
                if (e.getKey().startsWith("head.")) {
                    head.get(e.getKey()).assign(NdTensors.toArray(e.getValue()).reshape(head.get(e.getKey()).shape()));
                }
            }
            adam.loadState(p.optimizerState(), p.state().step());
            state = p.state();
            LOG.info("resuming {} at step {}", runDir, state.step());
        }
        Map<String, INDArray> params = new LinkedHashMap<>(encoderParams);
        params.putAll(head);
        long count = params.values().stream().mapToLong(INDArray::length).sum()
                + (bert.wordGradient() != null ? (long) model.config().vocabSize() * model.config().hiddenSize() : 0);
        LOG.info("training {} parameters ({} frozen layers{})", count, frozenLayers(layers),
                bert.wordGradient() != null ? ", the word table by the rows each batch uses" : "");

        BatchSource batches = task.batches();
        if (t.warmupSteps() > t.steps()) {
            LOG.warn("training.warmup_steps {} is more than training.steps {}: warming up over all {} steps",
                    t.warmupSteps(), t.steps(), t.steps());
        }
        LearningRateSchedule lr = new LearningRateSchedule(t.lr(), Math.min(t.warmupSteps(), t.steps()), t.steps());
        Checkpoints store = new Checkpoints(t.keepCheckpoints());
        GradientAccumulator acc = new GradientAccumulator();
        listener.started(state.step(), t.steps());
        List<String> wanted = new ArrayList<>(head.keySet());
        if (sd.hasVariable(HeadInputs.ANCHOR)) {
            wanted.add(HeadInputs.ANCHOR);
        }
        if (bert.trains()) {
            wanted.addAll(encoderOutputs.names());
        }
        Dropout masks = null; // the last micro-batch's, refilled by the next
        while (state.step() < t.steps()) {
            long step = state.step();
            long start = System.nanoTime();
            Blas.takeSeconds();
            double lossSum = 0;
            int examples = 0;
            double forwardFlops = 0;
            long encoderNanos = 0;
            long headNanos = 0;
            acc.reset();
            bert.zeroGradients();
            for (int m = 0; m < t.gradAccumulation(); m++) {
                long global = step * t.gradAccumulation() + m;
                long epoch = global / batches.batchesPerEpoch();
                int index = (int) (global % batches.batchesPerEpoch());
                Batch batch = batches.batch(epoch, index);
                Map<String, INDArray> ph = new HashMap<>(batch.placeholders());
                long t0 = System.nanoTime();
                Tokens tokens = null;
                Bert.Pass pass = null;
                if (encoderOutputs.used()) {
                    tokens = Tokens.of(ph, model.config().maxPositions());
                    Dropout drop = Dropout.draw(t.dropout(), tokens, model.config().hiddenSize(),
                            model.config().numHeads(), layers,
                            new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + global), masks);
                    masks = drop;
                    pass = bert.forward(tokens, drop, bert.trains());
                    encoderOutputs.feed(ph, bert, pass, tokens);
                    forwardFlops += forwardFlops(model.config(), tokens);
                }
                long t1 = System.nanoTime();
                ph.keySet().removeIf(name -> !sd.hasVariable(name)); // the encoder's own inputs are not the head's
                OutAndGrad og = LibraryOutput.toDebugLog(
                        () -> sd.calculateGradientsAndOutputs(ph, List.of(loss.name()), wanted));
                lossSum += og.getOutputs().get(loss.name()).getDouble(0);
                Map<String, INDArray> headGrads = new LinkedHashMap<>();
                head.keySet().forEach(k -> headGrads.put(k, og.getGradients().get(k)));
                acc.add(headGrads);
                long t2 = System.nanoTime();
                if (pass != null && bert.trains()) {
                    bert.backward(pass, encoderOutputs.poolGradients(og.getGradients()),
                            encoderOutputs.hiddenGradients(og.getGradients(), tokens));
                }
                // SameDiff's sessions keep the step's arrays alive until the next step replaces them.
                releaseActivations(sd);
                examples += batch.examples();
                encoderNanos += t1 - t0 + System.nanoTime() - t2;
                headNanos += t2 - t1;
            }
            double meanLoss = lossSum / t.gradAccumulation();
            Map<String, INDArray> grads = new LinkedHashMap<>(acc.averaged());
            Map<String, INDArray> encoderGrads = bert.gradients();
            INDArray wordRows = bert.wordGradient() != null ? bert.wordGradient().rows() : null;
            if (t.gradAccumulation() > 1) {
                encoderGrads.values().forEach(g -> g.divi(t.gradAccumulation()));
                if (wordRows != null) {
                    wordRows.divi(t.gradAccumulation());
                }
            }
            grads.putAll(encoderGrads);
            if (wordRows != null) {
                grads.put(WordGradient.NAME, wordRows);
            }
            double norm = GradientClipping.globalNorm(grads);
            double clip = GradientClipping.scale(norm, t.clipNorm()); // applied inside AdamW's pass
            if (!Double.isFinite(meanLoss) || !Double.isFinite(norm)) {
                throw new DivergedException("the loss became " + meanLoss + " (gradient norm " + norm + ") at step "
                        + (step + 1) + "; training stopped. The last good checkpoint is "
                        + Checkpoints.latestDir(runDir).map(Path::toString).orElse("none (none was written yet)"));
            }
            double rate = lr.at(step);
            double headRate = rate * t.headLr() / t.lr();
            grads.remove(WordGradient.NAME);
            adam.step(params, grads, name -> name.startsWith("head.") ? headRate : rate, clip);
            if (wordRows != null) {
                adam.stepRows(WordGradient.NAME, wordTable, bert.wordGradient().ids(), wordRows, rate, clip);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long next = step + 1;
            long consumed = next * t.gradAccumulation();
            state = new TrainerState(next, state.examplesSeen() + examples, consumed / batches.batchesPerEpoch(),
                    consumed % batches.batchesPerEpoch(), cfg.seed(), state.bestMetric(), state.bestCheckpoint(), hash,
                    state.lastMetrics());
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("step", next);
            log.put("loss", meanLoss);
            log.put("lr", rate);
            log.put("grad_norm", norm);
            log.put("examples_per_second", examples / seconds);
            log.put("step_seconds", seconds);
            log.put("train_layers", layers - frozenLayers(layers));
            // Where the step went: the encoder (forward and backward), the head graph (SameDiff), the rest
            // (clipping, AdamW).
            log.put("encoder_seconds", encoderNanos / 1e9);
            log.put("head_seconds", headNanos / 1e9);
            log.put("gemm_seconds", Blas.takeSeconds()); // inside the encoder's GEMMs (a part of encoder_seconds)
            log.put("forward_gflop", forwardFlops / 1e9);
            log.put("train_gflop", Flops.training(model.config(), forwardFlops, t.trainLayers()) / 1e9);
            log.put("peak_rss_mib", org.taskbert.bench.Memory.peakResidentMiB());
            appendMetrics(log);
            listener.step(next, meanLoss, examples / seconds);

            boolean evaluate = next % t.evalEvery() == 0 || next == t.steps();
            boolean checkpoint = evaluate || next % t.checkpointEvery() == 0;
            // One snapshot of the current weights (checkpoint layout) serves both the evaluation and the checkpoint.
            Map<String, Tensor> snapshot = checkpoint ? checkpointWeights(bert, head) : null;
            if (evaluate) {
                state = evaluate(task, model, snapshot, state);
            }
            if (checkpoint) {
                Path dir = store.write(runDir, next, snapshot, adam.stateTensors(),
                        state);
                if (evaluate && Checkpoints.name(next).equals(state.bestCheckpoint())) {
                    Checkpoints.markBest(runDir, dir);
                }
            }
        }
        return state;
    }

    /** Drops the graph's and its gradient function's sessions (they hold the last step's arrays); both are rebuilt. */
    private static void releaseActivations(SameDiff sd) {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction("grad"); // SameDiff.GRAD_FN_KEY, which is not public
        if (grad != null) {
            grad.getSessions().clear();
        }
    }

    private TrainerState evaluate(Task task, LoadedModel model, Map<String, Tensor> weights, TrainerState s)
            throws IOException {
        LoadedModel current = new LoadedModel(model.name(), withWeights(model.weights(), weights), model.vocabFile(),
                model.lowerCase());
        Map<String, Double> metrics;
        // Evaluation sees whole sentences (up to 512 tokens), whatever the training length.
        try (TextEncoder enc = TextEncoder.open(current, Encoder.DEFAULT_BATCH_SIZE)) {
            metrics = task.evaluate(enc, org.taskbert.task.HeadWeights.of(weights));
        }
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("step", s.step());
        log.put("eval", metrics);
        appendMetrics(log);
        LOG.info("step {}: {}", s.step(), metrics);
        String key = t.bestMetric() != null ? t.bestMetric() : metrics.keySet().stream().findFirst().orElse(null);
        Double value = key == null ? null : metrics.get(key);
        if (key != null && value == null) {
            throw new IllegalStateException("training.best_metric '" + key + "' is not among the task's metrics "
                    + metrics.keySet());
        }
        boolean better = value != null && (Double.isNaN(s.bestMetric()) || value > s.bestMetric());
        return new TrainerState(s.step(), s.examplesSeen(), s.dataEpoch(), s.dataPosition(), s.seed(),
                better ? value : s.bestMetric(), better ? Checkpoints.name(s.step()) : s.bestCheckpoint(),
                s.configHash(), metrics);
    }

    /** Encoder weights (checkpoint layout, all of them) plus the head's, for a checkpoint. */
    private static Map<String, Tensor> checkpointWeights(Bert bert, Map<String, INDArray> head) {
        Map<String, Tensor> out = new LinkedHashMap<>(bert.weights());
        head.forEach((name, value) -> out.put(name, NdTensors.toTensor(value)));
        return out;
    }

    private static BertWeights withWeights(BertWeights base, Map<String, Tensor> weights) {
        return new BertWeights(base.config(), weights, base.source() + " (fine-tuned)");
    }

    /** Forward FLOPs of a batch by its real lengths. */
    private static double forwardFlops(org.taskbert.model.BertConfig c, Tokens tokens) {
        double sum = 0;
        for (int s = 0; s < tokens.sequences(); s++) {
            sum += Flops.forward(c, tokens.length(s));
        }
        return sum;
    }

    /** The lowest trained layer: train_layers N trains the top N; -1 (or N >= the layer count) trains all. */
    private int frozenLayers(int layers) {
        return t.trainLayers() < 0 ? 0 : Math.max(0, layers - t.trainLayers());
    }

    private final ObjectMapper json = new ObjectMapper();

    private void appendMetrics(Map<String, Object> line) throws IOException {
        Files.writeString(runDir.resolve("metrics.jsonl"), json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
