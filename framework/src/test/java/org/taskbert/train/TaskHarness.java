package org.taskbert.train;

import java.io.IOException;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.encoder.Bert;
import org.taskbert.encoder.Dropout;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.GradientOracle;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.spi.Batch;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.HeadRunner;
import org.taskbert.spi.SentenceEncoder;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskContext;

/** For task tests: a task's context on a (tiny) model, and its evaluation as the trainer runs it. */
public final class TaskHarness {

    private TaskHarness() {}

    public static TaskContext context(LoadedModel model, int maxLength, int batchSize, long seed) {
        return new ModelTaskContext(model, maxLength, batchSize, seed);
    }

    /** The task's metrics on the model's weights, with its head as {@link Task#buildLoss} initialised it. */
    public static Map<String, Double> evaluate(Task task, LoadedModel model) throws IOException {
        try (Evaluation e = evaluation(task, model)) {
            return task.evaluate(e);
        }
    }

    /** An evaluation context over the model's weights and a freshly built head. */
    public static Evaluation evaluation(Task task, LoadedModel model) {
        return new Evaluation(
                new FineTuning("test", task, new Bert(model.weights())).headRunner(),
                TextEncoder.open(model, Encoder.DEFAULT_BATCH_SIZE));
    }

    /**
     * Runs {@code taskbert train config} in a child JVM and kills it (SIGKILL) as soon as its first checkpoint is
     * written; returns the step of the checkpoint it left. Its output goes to {@code log}.
     */
    public static long trainKilledAtFirstCheckpoint(
            java.nio.file.Path config, java.nio.file.Path run, java.nio.file.Path log)
            throws IOException, InterruptedException {
        java.nio.file.Path latest = org.taskbert.model.RunFolder.latestFile(run);
        Process p = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        org.taskbert.cli.Main.class.getName(),
                        "train",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (!java.nio.file.Files.exists(latest) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        p.destroyForcibly();
        p.waitFor();
        return Checkpoints.latest(run).orElseThrow().state().step();
    }

    /**
     * The training engine's gradients for one batch of a task (the hand-written encoder, every layer and the
     * embeddings trained, plus the task's head graph over its outputs), dropout off, against the whole-graph oracle
     * (the same task's loss built over {@code BertGraph}, differentiated by SameDiff): the worst relative error (max
     * norm) over every weight, the head's included, keyed by weight name.
     */
    public static Map<String, Double> engineGradientErrors(Task task, Batch batch, LoadedModel model) {
        Bert bert = new Bert(model.weights(), 0, true, true);
        FineTuning ft = new FineTuning("test", task, bert);
        ft.zeroGradients();
        ft.accumulate(batch, 0, new java.util.SplittableRandom(1));
        Map<String, INDArray> ours = new java.util.LinkedHashMap<>(GradientOracle.ours(bert));
        ft.gradients(1).forEach((name, g) -> {
            if (name.startsWith("head.")) {
                ours.put(name, g);
            }
        });
        Map<String, INDArray> ph = new java.util.HashMap<>(org.taskbert.encoder.BertInputs.of(
                batch.sequences(), model.config().maxPositions()));
        ph.putAll(batch.placeholders());
        Map<String, INDArray> want = GradientOracle.gradients(
                model.weights(),
                name -> true,
                ph,
                Dropout.NONE,
                0,
                org.taskbert.encoder.Tokens.of(batch.sequences(), model.config().maxPositions()),
                g -> task.buildLoss(new org.taskbert.spi.TaskGraph(
                        g.pool(org.taskbert.spi.Pooling.CLS).getSameDiff(), g)));
        Map<String, Double> errors = new java.util.TreeMap<>();
        for (Map.Entry<String, INDArray> e : want.entrySet()) {
            INDArray mine = ours.get(e.getKey());
            if (mine == null) {
                throw new AssertionError("the engine has no gradient for " + e.getKey());
            }
            if (e.getKey().endsWith("attention.self.key.bias")) {
                continue; // analytically zero (softmax ignores a constant per row): both are rounding noise
            }
            errors.put(e.getKey(), GradientOracle.relativeError(mine, e.getValue()));
        }
        return errors;
    }

    /** The largest absolute difference between two weight maps of the same names and shapes. */
    public static double maxDifference(
            Map<String, org.taskbert.model.Tensor> a, Map<String, org.taskbert.model.Tensor> b) {
        double worst = 0;
        for (String name : a.keySet()) {
            float[] x = a.get(name).data();
            float[] y = b.get(name).data();
            if (x.length != y.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    /** An {@link EvaluationContext} to close after use. */
    public record Evaluation(HeadRunner head, TextEncoder text) implements EvaluationContext, AutoCloseable {
        @Override
        public SentenceEncoder encoder() {
            return text;
        }

        @Override
        public void close() {
            text.close();
        }
    }
}
