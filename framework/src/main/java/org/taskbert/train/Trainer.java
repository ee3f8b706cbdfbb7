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
import java.util.function.Predicate;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.bench.Flops;
import org.taskbert.encoder.BertGraph;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.InferenceEncoder;
import org.taskbert.encoder.TextEncoder;
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

        SameDiff sd = SameDiff.create();
        int layers = model.config().numLayers();
        // With the embeddings frozen, the frozen layers need no graph: they run through the inference encoder (with
        // the same dropout masks, drawn in the same order) and the graph holds only the layers that train.
        BertGraph bert = t.trainLayers() < 0
                ? BertGraph.build(sd, model.weights(), trainable(layers), t.dropout())
                : BertGraph.buildTop(sd, model.weights(), frozenLayers(layers), trainable(layers), t.dropout());
        LoadedModel base = model;
        java.util.function.Supplier<InferenceEncoder> frozen = bert.hasEmbeddings() ? null
                : com.google.common.base.Suppliers.memoize(() -> new InferenceEncoder(base.weights(), 1, bert.firstLayer()));
        SDVariable loss = task.buildLoss(new TaskGraph(sd, bert));
        sd.setLossVariables(loss);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                params.put(v.name(), v.getArr());
            }
        }
        AdamW adam = new AdamW(0.9, 0.999, 1e-6, t.weightDecay(), AdamW.BERT_NO_DECAY);
        TrainerState state = new TrainerState(0, 0, 0, 0, cfg.seed(), Double.NaN, null, hash, Map.of());
        if (previous.isPresent()) {
            Checkpoints.Loaded p = previous.get();
            for (Map.Entry<String, Tensor> e : p.weights().entrySet()) {
                if (e.getKey().startsWith("head.")) {
                    params.get(e.getKey()).assign(NdTensors.toArray(e.getValue()).reshape(params.get(e.getKey()).shape()));
                }
            }
            adam.loadState(p.optimizerState(), p.state().step());
            state = p.state();
            LOG.info("resuming {} at step {}", runDir, state.step());
        }
        LOG.info("training {} parameters in {} tensors ({} frozen layers)", params.values().stream()
                .mapToLong(INDArray::length).sum(), params.size(), frozenLayers(model.config().numLayers()));

        BatchSource batches = task.batches();
        LearningRateSchedule lr = new LearningRateSchedule(t.lr(), t.warmupSteps(), t.steps());
        Checkpoints store = new Checkpoints(t.keepCheckpoints());
        GradientAccumulator acc = new GradientAccumulator();
        listener.started(state.step(), t.steps());
        List<String> trainable = new ArrayList<>(params.keySet());
        while (state.step() < t.steps()) {
            long step = state.step();
            long start = System.nanoTime();
            double lossSum = 0;
            int examples = 0;
            double forwardFlops = 0;
            long frozenNanos = 0;
            long graphNanos = 0;
            acc.reset();
            for (int m = 0; m < t.gradAccumulation(); m++) {
                long global = step * t.gradAccumulation() + m;
                long epoch = global / batches.batchesPerEpoch();
                int index = (int) (global % batches.batchesPerEpoch());
                Batch batch = batches.batch(epoch, index);
                Map<String, INDArray> ph = new HashMap<>(batch.placeholders());
                Map<String, INDArray> outside = dropoutMasks(bert, batch, ph,
                        new SplittableRandom(cfg.seed() * 0x9E3779B97F4A7C15L + global));
                long t0 = System.nanoTime();
                if (frozen != null && ph.containsKey(BertGraph.INPUT_IDS)) {
                    runFrozenLayers(frozen.get(), bert, ph, outside);
                }
                long t1 = System.nanoTime();
                OutAndGrad og = sd.calculateGradientsAndOutputs(ph, List.of(loss.name()), trainable);
                frozenNanos += t1 - t0;
                graphNanos += System.nanoTime() - t1;
                lossSum += og.getOutputs().get(loss.name()).getDouble(0);
                acc.add(og.getGradients());
                // SameDiff's sessions keep the step's activations alive until the next step replaces them: cleared,
                // the peak resident memory of a batch 32 x 32 fine-tune fell from 4.4 GB to 2.8 GB (BENCHMARKS.md).
                releaseActivations(sd);
                examples += batch.examples();
                forwardFlops += forwardFlops(model.config(), ph.get(BertGraph.ATTENTION_MASK));
            }
            double meanLoss = lossSum / t.gradAccumulation();
            Map<String, INDArray> grads = acc.averaged();
            double norm = GradientClipping.clipByGlobalNorm(grads, t.clipNorm());
            if (!Double.isFinite(meanLoss) || !Double.isFinite(norm)) {
                throw new DivergedException("the loss became " + meanLoss + " (gradient norm " + norm + ") at step "
                        + (step + 1) + "; training stopped. The last good checkpoint is "
                        + Checkpoints.latestDir(runDir).map(Path::toString).orElse("none (none was written yet)"));
            }
            double rate = lr.at(step);
            double headRate = rate * t.headLr() / t.lr();
            adam.step(params, grads, name -> name.startsWith("head.") ? headRate : rate);
            // ND4J frees an array's native memory only when the GC collects its Java object; a training step
            // leaves gigabytes of such garbage behind and little heap pressure, so collect it now.
            System.gc();
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
            // Where the step went: frozen layers (inference encoder), the graph's forward and backward, the rest
            // (accumulation, clipping, AdamW, freeing native memory).
            log.put("frozen_seconds", frozenNanos / 1e9);
            log.put("graph_seconds", graphNanos / 1e9);
            log.put("forward_gflop", forwardFlops / 1e9);
            log.put("train_gflop", Flops.training(model.config(), forwardFlops, t.trainLayers()) / 1e9);
            log.put("peak_rss_mib", org.taskbert.bench.Memory.peakResidentMiB());
            appendMetrics(log);
            listener.step(next, meanLoss, examples / seconds);

            boolean evaluate = next % t.evalEvery() == 0 || next == t.steps();
            boolean checkpoint = evaluate || next % t.checkpointEvery() == 0;
            // One snapshot of the current weights (checkpoint layout) serves both the evaluation and the checkpoint.
            Map<String, Tensor> snapshot = checkpoint ? checkpointWeights(model.weights(), params) : null;
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
    private static Map<String, Tensor> checkpointWeights(BertWeights base, Map<String, INDArray> params) {
        Map<String, Tensor> out = new LinkedHashMap<>(base.all());
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            out.put(e.getKey(), e.getKey().startsWith("head.") ? NdTensors.toTensor(e.getValue())
                    : BertGraph.toCheckpointLayout(e.getKey(), e.getValue()));
        }
        return out;
    }

    private static BertWeights withWeights(BertWeights base, Map<String, Tensor> weights) {
        return new BertWeights(base.config(), weights, base.source() + " (fine-tuned)");
    }

    /** Forward FLOPs of a batch by its real lengths (the rows of its attention mask); 0 if the task feeds no encoder. */
    private static double forwardFlops(org.taskbert.model.BertConfig c, INDArray mask) {
        if (mask == null) {
            return 0;
        }
        double sum = 0;
        for (float len : mask.sum(1).toFloatVector()) {
            sum += Flops.forward(c, Math.round(len));
        }
        return sum;
    }

    private int frozenLayers(int layers) {
        return t.trainLayers() < 0 ? 0 : Math.max(0, layers - t.trainLayers());
    }

    /** Top layers, the pooler and everything the task adds are trained; the embeddings only when all layers are. */
    private Predicate<String> trainable(int layers) {
        int frozen = frozenLayers(layers);
        return name -> {
            if (name.startsWith("embeddings.")) {
                return t.trainLayers() < 0;
            }
            if (name.startsWith("pooler.")) {
                return t.trainPooler();
            }
            if (name.startsWith("encoder.layer.")) {
                int i = Integer.parseInt(name.substring("encoder.layer.".length(), name.indexOf('.', 14)));
                return i >= frozen;
            }
            return true;
        };
    }

    /** Inverted-dropout masks (0 or 1/(1−p)) for every site, drawn from the step's own seeded generator. */
    /** The frozen layers' output goes into the graph in place of the token ids. */
    private static void runFrozenLayers(InferenceEncoder frozen, BertGraph bert, Map<String, INDArray> ph,
            Map<String, INDArray> masks) {
        boolean first = bert.firstLayer() > 1 && bert.sameDiffHas(BertGraph.HIDDEN_FIRST);
        InferenceEncoder.Hidden h = frozen.hidden(ph, bert.firstLayer(), first, masks);
        ph.put(BertGraph.HIDDEN_IN, h.last());
        if (first) {
            ph.put(BertGraph.HIDDEN_FIRST, h.first());
        }
        ph.remove(BertGraph.INPUT_IDS);
        ph.remove(BertGraph.TOKEN_TYPE_IDS);
        ph.remove(BertGraph.POSITION_IDS);
    }

    /**
     * Draws every dropout site's mask in the graph's order: those in the graph become placeholders, those below it
     * (frozen layers run outside the graph) are returned.
     */
    private Map<String, INDArray> dropoutMasks(BertGraph bert, Batch batch, Map<String, INDArray> ph,
            SplittableRandom rnd) {
        Map<String, INDArray> outside = new HashMap<>();
        double p = t.dropout();
        float keep = (float) (1 / (1 - p));
        int h = bert.config().hiddenSize();
        int heads = bert.config().numHeads();
        for (BertGraph.DropoutSite site : bert.dropoutSites()) {
            long[] shape = site.attention() ? new long[] {batch.rows(), heads, batch.time(), batch.time()}
                    : new long[] {(long) batch.rows() * batch.time(), h};
            float[] mask = new float[(int) (shape[0] * shape[1] * (site.attention() ? shape[2] * shape[3] : 1))];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = rnd.nextDouble() < p ? 0f : keep;
            }
            (site.inGraph() ? ph : outside).put(site.placeholder(), Nd4j.create(mask, shape, 'c'));
        }
        return outside;
    }

    private final ObjectMapper json = new ObjectMapper();

    private void appendMetrics(Map<String, Object> line) throws IOException {
        Files.writeString(runDir.resolve("metrics.jsonl"), json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
