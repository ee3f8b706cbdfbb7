package org.taskbert.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.bench.Flops;
import org.taskbert.bench.Memory;
import org.taskbert.encoder.Bert;
import org.taskbert.encoder.Blas;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.encoder.WordGradient;
import org.taskbert.model.BertWeights;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.model.RunFolder;
import org.taskbert.model.Tensor;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.HeadRunner;
import org.taskbert.spi.SentenceEncoder;
import org.taskbert.spi.Task;

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
            public void started(long fromStep, long totalSteps) {}

            @Override
            public void step(long step, double loss, double examplesPerSecond) {}
        };
    }

    /**
     * Computes each step's gradient sums outside this process (taskbert-spark's workers, each running a share of the
     * step's micro-batches as {@link MicroBatchWorker}), given the trainable weights the step starts from. The
     * optimiser step, evaluation, checkpoints and metrics stay with the trainer.
     */
    public interface RemoteGradients {
        GradientSums compute(long step, Map<String, float[]> trainable);
    }

    /**
     * Local SGD outside this process (taskbert-spark): rounds of up to K steps in which each worker, starting from the
     * trainer's weights and AdamW state, takes the steps with its own optimiser on its share of each step's
     * micro-batches ({@link MicroBatchWorker#localRound}); the trainer then keeps the workers' averages. A round never
     * crosses an evaluation or checkpoint step, so those see averaged weights and a resume starts a round.
     */
    public interface LocalRounds {
        int stepsPerRound();

        LocalRound run(long step, int steps, Map<String, float[]> weights, Map<String, float[]> optimizer, long t);
    }

    /** The run stopped because the loss stopped being a number. */
    public static final class DivergedException extends RuntimeException {
        public DivergedException(String message) {
            super(message);
        }
    }

    /** The task context of the last {@link #run}: its tokenizer counted the texts that were mostly [UNK]. */
    private ModelTaskContext context;

    /** The line to print once at the end of the run when texts were mostly [UNK] (a model wrong for the language). */
    public Optional<String> unknownPiecesReport() {
        return context == null
                ? Optional.empty()
                : context.tokenizer().unknownPieces().report();
    }

    private final TrainConfig cfg;
    private final TrainConfig.Training t;
    private final String configText;
    private final Path runDir;
    private final String taskName;
    private final MetricsLog metricsLog;
    private final ObjectMapper json = new ObjectMapper();
    private final RemoteGradients remote; // null: this process computes the gradients
    private LocalRounds rounds; // non-null: local SGD on workers

    /** {@code taskName} is the registered name of the config's task, for messages. */
    public Trainer(TrainConfig cfg, String configText, String taskName) {
        this(cfg, configText, taskName, (RemoteGradients) null);
    }

    /** As {@link #Trainer(TrainConfig, String, String)}, trained by local SGD in {@code rounds}. */
    public Trainer(TrainConfig cfg, String configText, String taskName, LocalRounds rounds) {
        this(cfg, configText, taskName, (RemoteGradients) null);
        this.rounds = rounds;
    }

    /** As {@link #Trainer(TrainConfig, String, String)}, each step's gradients computed by {@code remote}. */
    public Trainer(TrainConfig cfg, String configText, String taskName, RemoteGradients remote) {
        this.remote = remote;
        this.cfg = cfg;
        this.taskName = taskName;
        this.t = cfg.training();
        this.configText = configText;
        this.runDir = cfg.output();
        this.metricsLog = new MetricsLog(RunFolder.metricsFile(runDir));
    }

    /**
     * Trains, or with {@code resume} continues the run folder's latest checkpoint. The folder must be new, empty or a
     * run's, and not in use by another process (checked before anything is loaded); it is locked while training.
     */
    public TrainerState run(boolean resume, Listener listener) throws IOException {
        try (RunLock lock = RunLock.claim(runDir)) {
            return train(resume, listener);
        }
    }

    private TrainerState train(boolean resume, Listener listener) throws IOException {
        RunInputs inputs = RunInputs.of(configText);
        Optional<Checkpoints.Loaded> previous = previousRun(resume, inputs);
        LoadedModel model = Models.load(cfg.model());
        long weightBytes = 4L
                * model.weights().all().values().stream()
                        .mapToLong(x -> x.data().length)
                        .sum();
        Checkpoints.checkWritable(runDir, 3 * weightBytes);
        writeRunFiles();
        if (previous.isPresent()) {
            model = withWeights(model, previous.get().weights());
        }
        context = new ModelTaskContext(model, t.maxLength(), t.batchSize(), cfg.seed());
        Task task = cfg.task().create(context);
        int layers = model.config().numLayers();
        FineTuning ft = fineTuning(t, taskName, task, model);
        Map<String, INDArray> params = ft.denseParameters();
        INDArray wordTable = ft.bert().parameters().get(WordGradient.NAME); // updated sparsely, by rows
        if ((remote != null || rounds != null) && wordTable != null) {
            throw new org.taskbert.spi.config.ConfigException("training.train_layers: " + t.trainLayers()
                    + " trains the word table, which only `taskbert train` does (its gradient is sparse rows); set"
                    + " it below the layer count " + layers);
        }
        // A head's scalars (scales, temperatures, biases) never decay, as CLIP and SigLIP train theirs.
        AdamW adam = adamW(t, params);
        TrainerState state =
                new TrainerState(0, 0, 0, 0, cfg.seed(), Double.NaN, null, inputs.hash(), Map.of(), inputs);
        if (previous.isPresent()) {
            ft.restoreHead(previous.get().weights());
            adam.loadState(
                    previous.get().optimizerState(), previous.get().state().step());
            state = previous.get().state();
            LOG.info("resuming {} at step {}", runDir, state.step());
        }
        logParameters(ft, params, model, layers);

        BatchSource batches = task.batches();
        StepMicroBatches work = new StepMicroBatches(taskName, batches, t.gradAccumulation(), t.dropout(), cfg.seed());
        LearningRateSchedule lr = schedule();
        Checkpoints store = new Checkpoints(t.keepCheckpoints());
        listener.started(state.step(), t.steps());
        while (state.step() < t.steps()) {
            long step = state.step();
            if (rounds != null) {
                state = localRound(step, adam, params, lr, model, batches, state, listener);
                state = evaluateAndCheckpoint(task, ft, model, adam, store, state);
                continue;
            }
            StepMetrics m = step(ft, work, adam, params, wordTable, lr, step, model);
            state = new TrainerState(
                    m.step(),
                    state.examplesSeen() + m.examples(),
                    consumed(m.step()) / batches.batchesPerEpoch(),
                    consumed(m.step()) % batches.batchesPerEpoch(),
                    cfg.seed(),
                    state.bestMetric(),
                    state.bestCheckpoint(),
                    state.configHash(),
                    state.lastMetrics(),
                    state.inputs());
            metricsLog.append(m.toJson());
            listener.step(m.step(), m.loss(), m.examplesPerSecond());
            state = evaluateAndCheckpoint(task, ft, model, adam, store, state);
        }
        return state;
    }

    /**
     * The run folder's latest checkpoint (verified), if it is resumed, with {@code metrics.jsonl} cut back to its
     * step. Refuses a folder that holds checkpoints unless resuming it, and a resume whose config or data files
     * differ from the run's.
     */
    private Optional<Checkpoints.Loaded> previousRun(boolean resume, RunInputs inputs) throws IOException {
        Checkpoints.checkWritable(runDir, 0); // fail before anything is loaded; space is checked later
        if (!resume && Checkpoints.any(runDir)) {
            throw new IllegalStateException("the run folder " + runDir + " already holds checkpoints: pass --resume"
                    + " to continue it, or choose another output");
        }
        Optional<Checkpoints.Loaded> previous = resume ? Checkpoints.latest(runDir) : Optional.empty();
        if (previous.isPresent()) {
            TrainerState saved = previous.get().state();
            if (!inputs.hash().equals(saved.configHash())) {
                List<String> differences = saved.inputs() == null ? List.of() : inputs.differencesFrom(saved.inputs());
                throw new IllegalStateException("cannot resume " + runDir + " from "
                        + previous.get().dir().getFileName() + ": "
                        + (differences.isEmpty()
                                ? "its config differs from this one (the saved one is " + RunFolder.configFile(runDir)
                                        + ")"
                                : String.join("; ", differences)));
            }
            List<Path> later = RunFolder.checkpointFolders(runDir).stream()
                    .filter(p ->
                            RunFolder.checkpointStep(p.getFileName().toString()).orElseThrow() > saved.step())
                    .toList();
            if (!later.isEmpty()) {
                LOG.warn(
                        "resuming from {}: the later {} will be replaced as the run reaches their steps",
                        previous.get().dir().getFileName(),
                        later.stream().map(p -> p.getFileName().toString()).toList());
            }
        } else if (resume) {
            LOG.info("{} holds no checkpoint yet: starting at step 0", runDir);
        }
        long step = previous.map(p -> p.state().step()).orElse(0L);
        int dropped = metricsLog.truncateTo(step);
        if (dropped > 0) {
            LOG.info(
                    "{}: dropped {} lines after step {}, which the run repeats",
                    RunFolder.metricsFile(runDir),
                    dropped,
                    step);
        }
        return previous;
    }

    private void writeRunFiles() throws IOException {
        Files.writeString(
                RunFolder.configFile(runDir),
                "# The config this run ran: its file with the --set overrides" + " merged (taskbert train).\n"
                        + configText,
                StandardCharsets.UTF_8);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("base_model", cfg.model());
        run.put("pooling", cfg.task().exportSpec().pooling().id());
        json.writerWithDefaultPrettyPrinter()
                .writeValue(runDir.resolve(RunFolder.RUN_JSON).toFile(), run);
    }

    private void logParameters(FineTuning ft, Map<String, INDArray> params, LoadedModel model, int layers) {
        boolean words = ft.bert().wordGradient() != null;
        long count = params.values().stream().mapToLong(INDArray::length).sum()
                + (words ? (long) model.config().vocabSize() * model.config().hiddenSize() : 0);
        LOG.info(
                "training {} parameters ({} frozen layers{})",
                count,
                frozenLayers(layers),
                words ? ", the word table by the rows each batch uses" : "");
    }

    private LearningRateSchedule schedule() {
        if (t.warmupSteps() > t.steps()) {
            LOG.warn(
                    "training.warmup_steps {} is more than training.steps {}: warming up over all {} steps",
                    t.warmupSteps(),
                    t.steps(),
                    t.steps());
        }
        return new LearningRateSchedule(t.lr(), Math.min(t.warmupSteps(), t.steps()), t.decaySteps());
    }

    /** One optimiser step: its micro-batches' forward and backward passes, clipping, AdamW. */
    private StepMetrics step(
            FineTuning ft,
            StepMicroBatches work,
            AdamW adam,
            Map<String, INDArray> params,
            INDArray wordTable,
            LearningRateSchedule lr,
            long step,
            LoadedModel model) {
        long start = System.nanoTime();
        Blas.takeSeconds();
        StepMicroBatches.Totals totals;
        Map<String, INDArray> grads;
        if (remote == null) {
            ft.zeroGradients();
            totals = work.run(ft, step, 0, t.gradAccumulation());
            grads = ft.gradients(t.gradAccumulation());
        } else {
            GradientSums sums = remote.compute(step, snapshot(params));
            totals = new StepMicroBatches.Totals(
                    sums.lossSum(),
                    sums.examples(),
                    sums.microBatches(),
                    sums.forwardFlops(),
                    sums.encoderNanos(),
                    sums.headNanos());
            grads = averaged(sums, params, step);
        }
        int examples = totals.examples();
        double forwardFlops = totals.forwardFlops();
        long encoderNanos = totals.encoderNanos();
        long headNanos = totals.headNanos();
        double meanLoss = totals.lossSum() / t.gradAccumulation();
        double norm = GradientClipping.globalNorm(grads);
        double clip = GradientClipping.scale(norm, t.clipNorm()); // applied inside AdamW's pass
        if (!Double.isFinite(meanLoss) || !Double.isFinite(norm)) {
            throw new DivergedException("the loss became " + meanLoss + " (gradient norm " + norm + ") at step "
                    + (step + 1) + "; training stopped. The last good checkpoint is " + lastCheckpoint());
        }
        double rate = lr.at(step);
        double headRate = rate * t.headLr() / t.lr();
        INDArray wordRows = grads.remove(WordGradient.NAME);
        adam.step(params, grads, name -> name.startsWith("head.") ? headRate : rate, clip);
        if (wordRows != null) {
            adam.stepRows(WordGradient.NAME, wordTable, ft.bert().wordGradient().ids(), wordRows, rate, clip);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int layers = model.config().numLayers();
        return new StepMetrics(
                step + 1,
                meanLoss,
                examples,
                rate,
                norm,
                examples / seconds,
                seconds,
                layers - frozenLayers(layers),
                encoderNanos / 1e9,
                headNanos / 1e9,
                Blas.takeSeconds(),
                forwardFlops / 1e9,
                Flops.training(model.config(), forwardFlops, t.trainLayers()) / 1e9,
                Memory.peakResidentMiB());
    }

    /** A head's scalars (scales, temperatures, biases) never decay, as CLIP and SigLIP train theirs. */
    static AdamW adamW(TrainConfig.Training t, Map<String, INDArray> params) {
        return new AdamW(
                0.9,
                0.999,
                t.adamEpsilon(),
                t.weightDecay(),
                AdamW.BERT_NO_DECAY.or(
                        name -> name.startsWith("head.") && params.get(name).length() == 1));
    }

    /** One local-SGD round from {@code step}: up to K steps, ending at the next evaluation, checkpoint or the end. */
    private TrainerState localRound(
            long step,
            AdamW adam,
            Map<String, INDArray> params,
            LearningRateSchedule lr,
            LoadedModel model,
            BatchSource batches,
            TrainerState state,
            Listener listener)
            throws IOException {
        long end = Math.min(t.steps(), step + rounds.stepsPerRound());
        end = Math.min(end, (step / t.evalEvery() + 1) * t.evalEvery());
        end = Math.min(end, (step / t.checkpointEvery() + 1) * t.checkpointEvery());
        int k = (int) (end - step);
        long start = System.nanoTime();
        Map<String, float[]> optimizer = new LinkedHashMap<>();
        adam.stateTensors().forEach((name, value) -> optimizer.put(name, value.data()));
        LocalRound r = rounds.run(step, k, snapshot(params), optimizer, adam.t());
        if (r.lossSums().length != k || !r.weights().keySet().equals(params.keySet())) {
            throw new IllegalStateException("steps " + (step + 1) + "-" + end + ": the workers returned "
                    + r.lossSums().length + " steps for " + r.weights().size() + " weights, expected " + k + " for "
                    + params.size());
        }
        for (int i = 0; i < k; i++) {
            double loss = r.lossSums()[i] / t.gradAccumulation();
            if (!Double.isFinite(loss) || !Double.isFinite(r.gradNorms()[i])) {
                throw new DivergedException("the loss became " + loss + " at step " + (step + i + 1)
                        + "; training stopped. The last good checkpoint is " + lastCheckpoint());
            }
        }
        params.forEach((name, value) -> value.assign(org.nd4j.linalg.factory.Nd4j.create(
                r.weights().get(name), value.shape(), org.nd4j.linalg.api.buffer.DataType.FLOAT)));
        Map<String, Tensor> moments = new LinkedHashMap<>();
        r.optimizer()
                .forEach((key, values) -> moments.put(
                        key,
                        new Tensor(
                                params.get(key.substring(0, key.lastIndexOf('/')))
                                        .shape(),
                                values)));
        adam.loadState(moments, adam.t() + k);
        double seconds = (System.nanoTime() - start) / 1e9 / k;
        int layers = model.config().numLayers();
        TrainerState s = state;
        for (int i = 0; i < k; i++) {
            long done = step + i + 1;
            StepMetrics m = new StepMetrics(
                    done,
                    r.lossSums()[i] / t.gradAccumulation(),
                    r.examples()[i],
                    lr.at(step + i),
                    r.gradNorms()[i],
                    r.examples()[i] / seconds,
                    seconds,
                    layers - frozenLayers(layers),
                    0,
                    0,
                    0,
                    0,
                    0,
                    Memory.peakResidentMiB());
            s = new TrainerState(
                    done,
                    s.examplesSeen() + m.examples(),
                    consumed(done) / batches.batchesPerEpoch(),
                    consumed(done) % batches.batchesPerEpoch(),
                    cfg.seed(),
                    s.bestMetric(),
                    s.bestCheckpoint(),
                    s.configHash(),
                    s.lastMetrics(),
                    s.inputs());
            metricsLog.append(m.toJson());
            listener.step(done, m.loss(), m.examplesPerSecond());
        }
        return s;
    }

    /** The trainable weights as the workers receive them (copies, C order). */
    private static Map<String, float[]> snapshot(Map<String, INDArray> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((name, value) -> out.put(name, NdTensors.toTensor(value).data()));
        return out;
    }

    /** The workers' summed gradients as this process's would be: averaged over the step's micro-batches. */
    private Map<String, INDArray> averaged(GradientSums sums, Map<String, INDArray> params, long step) {
        if (sums.microBatches() != t.gradAccumulation() || !sums.sums().keySet().equals(params.keySet())) {
            throw new IllegalStateException("step " + (step + 1) + ": the workers returned " + sums.microBatches()
                    + " micro-batches' gradients for " + sums.sums().size() + " weights, expected "
                    + t.gradAccumulation() + " for " + params.size());
        }
        Map<String, INDArray> grads = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            INDArray g = org.nd4j.linalg.factory.Nd4j.create(
                    sums.sums().get(name), value.shape(), org.nd4j.linalg.api.buffer.DataType.FLOAT);
            grads.put(name, t.gradAccumulation() > 1 ? g.divi(t.gradAccumulation()) : g);
        });
        return grads;
    }

    /** The model being fine-tuned as a run's training section builds it: frozen layers, pooler, head. */
    static FineTuning fineTuning(TrainConfig.Training t, String taskName, Task task, LoadedModel model) {
        int layers = model.config().numLayers();
        return new FineTuning(
                taskName,
                task,
                new Bert(
                        model.weights(),
                        frozenLayers(t, layers),
                        t.trainLayers() < 0 || t.trainLayers() >= layers,
                        t.trainPooler()));
    }

    private String lastCheckpoint() {
        try {
            return Checkpoints.latestDir(runDir).map(Path::toString).orElse("none (none was written yet)");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private long consumed(long steps) {
        return steps * t.gradAccumulation();
    }

    /** Evaluates and writes a checkpoint when the step calls for it; one snapshot of the weights serves both. */
    private TrainerState evaluateAndCheckpoint(
            Task task, FineTuning ft, LoadedModel model, AdamW adam, Checkpoints store, TrainerState state)
            throws IOException {
        long step = state.step();
        boolean evaluate = step % t.evalEvery() == 0 || step == t.steps();
        if (!evaluate && step % t.checkpointEvery() != 0) {
            return state;
        }
        Map<String, Tensor> snapshot = ft.weights();
        TrainerState next = evaluate ? evaluate(task, ft, withWeights(model, snapshot), state) : state;
        Path dir = store.write(runDir, step, snapshot, adam.stateTensors(), next);
        if (evaluate && Checkpoints.name(step).equals(next.bestCheckpoint())) {
            Checkpoints.markBest(runDir, dir);
        }
        return next;
    }

    private TrainerState evaluate(Task task, FineTuning ft, LoadedModel current, TrainerState s) throws IOException {
        Map<String, Double> metrics;
        // Evaluation sees whole sentences (up to 512 tokens), whatever the training length.
        try (TextEncoder enc = TextEncoder.open(current, Encoder.DEFAULT_BATCH_SIZE)) {
            HeadRunner head = ft.headRunner();
            metrics = task.evaluate(new EvaluationContext() {
                @Override
                public SentenceEncoder encoder() {
                    return enc;
                }

                @Override
                public HeadRunner head() {
                    return head;
                }
            });
        }
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("step", s.step());
        log.put("eval", metrics);
        metricsLog.append(json.writeValueAsString(log));
        LOG.info("step {}: {}", s.step(), metrics);
        String key = t.bestMetric() != null
                ? t.bestMetric()
                : metrics.keySet().stream().findFirst().orElse(null);
        Double value = key == null ? null : metrics.get(key);
        if (key != null && value == null) {
            throw new IllegalStateException(
                    "training.best_metric '" + key + "' is not among the task's metrics " + metrics.keySet());
        }
        boolean better = value != null && (Double.isNaN(s.bestMetric()) || value > s.bestMetric());
        return new TrainerState(
                s.step(),
                s.examplesSeen(),
                s.dataEpoch(),
                s.dataPosition(),
                s.seed(),
                better ? value : s.bestMetric(),
                better ? Checkpoints.name(s.step()) : s.bestCheckpoint(),
                s.configHash(),
                metrics,
                s.inputs());
    }

    private static LoadedModel withWeights(LoadedModel model, Map<String, Tensor> weights) {
        BertWeights base = model.weights();
        return new LoadedModel(
                model.name(),
                new BertWeights(base.config(), weights, base.source() + " (fine-tuned)"),
                model.vocabFile(),
                model.lowerCase());
    }

    /** The lowest trained layer: train_layers N trains the top N; -1 (or N >= the layer count) trains all. */
    private int frozenLayers(int layers) {
        return frozenLayers(t, layers);
    }

    static int frozenLayers(TrainConfig.Training t, int layers) {
        return t.trainLayers() < 0 ? 0 : Math.max(0, layers - t.trainLayers());
    }
}
