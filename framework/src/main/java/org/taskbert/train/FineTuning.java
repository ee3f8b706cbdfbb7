package org.taskbert.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.taskbert.encoder.Dropout;
import org.taskbert.encoder.Tokens;
import org.taskbert.encoder.WordGradient;
import org.taskbert.model.BertConfig;
import org.taskbert.model.Tensor;
import org.taskbert.spi.Batch;
import org.taskbert.spi.HeadRunner;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.config.ConfigException;

/**
 * The model being fine-tuned: the hand-written encoder (forward and backward over packed tokens) and the task's
 * head and loss, a SameDiff graph over the encoder's outputs, which enter it as placeholders ({@link HeadInputs}).
 * One call of {@link #accumulate} is one micro-batch's forward and backward pass.
 */
final class FineTuning {

    private static final Logger LOG = LoggerFactory.getLogger(FineTuning.class);

    /** One micro-batch: its loss and where its time went. */
    record MicroBatch(double loss, int examples, double forwardFlops, long encoderNanos, long headNanos) {}

    private final String taskName;
    private final BertConfig config;
    private final Bert bert;
    private final SameDiff sd = SameDiff.create();
    private final HeadInputs inputs;
    private final SDVariable loss;
    private final Map<String, INDArray> head = new LinkedHashMap<>();
    private final List<String> wanted = new ArrayList<>();
    private final GradientAccumulator headGradients = new GradientAccumulator();
    private Dropout masks; // the last micro-batch's, refilled by the next

    FineTuning(String taskName, Task task, Bert bert) {
        this.taskName = taskName;
        this.config = bert.config();
        this.bert = bert;
        this.inputs = new HeadInputs(sd, config);
        this.loss = task.buildLoss(new TaskGraph(sd, inputs));
        sd.setLossVariables(loss);
        if (!inputs.used() && bert.trains()) {
            throw new ConfigException("the task reads no encoder output (its inputs are fixed vectors, as with"
                    + " task.sentence_encoder: frozen), so no encoder weight can train: set training.train_layers: 0"
                    + " and training.train_pooler: false");
        }
        if (inputs.used() && !bert.trains()) {
            LOG.warn("no encoder weight trains (training.train_layers: 0, training.train_pooler: false), yet the task"
                    + " reads encoder outputs: every step runs the encoder forward for the same vectors (a task with"
                    + " fixed inputs, such as task.sentence_encoder: frozen, computes them once)");
        }
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE && !v.name().equals(HeadInputs.ANCHOR)) {
                head.put(v.name(), v.getArr());
            }
        }
        wanted.addAll(head.keySet());
        if (sd.hasVariable(HeadInputs.ANCHOR)) {
            wanted.add(HeadInputs.ANCHOR);
        }
        if (bert.trains()) {
            wanted.addAll(inputs.names());
        }
    }

    Bert bert() {
        return bert;
    }

    /** The dense trained weights, live: the encoder's (the word table excepted: its rows train sparsely), the head's. */
    Map<String, INDArray> denseParameters() {
        Map<String, INDArray> params = new LinkedHashMap<>(bert.parameters());
        params.remove(WordGradient.NAME);
        params.putAll(head);
        return params;
    }

    /** The head's parameters ({@code head.*}), live: AdamW updates them in place. */
    Map<String, INDArray> head() {
        return head;
    }

    void restoreHead(Map<String, Tensor> weights) {
        weights.forEach((name, t) -> {
            if (name.startsWith("head.")) {
                head.get(name)
                        .assign(NdTensors.toArray(t).reshape(head.get(name).shape()));
            }
        });
    }

    void zeroGradients() {
        headGradients.reset();
        bert.zeroGradients();
    }

    /** Forward and backward over one micro-batch; the gradients add to those of the step's earlier micro-batches. */
    MicroBatch accumulate(Batch batch, double dropout, SplittableRandom random) {
        Map<String, INDArray> ph = new HashMap<>(batch.placeholders());
        long t0 = System.nanoTime();
        Tokens tokens = null;
        Bert.Pass pass = null;
        double flops = 0;
        if (inputs.used()) {
            tokens = tokens(batch);
            masks = Dropout.draw(
                    dropout, tokens, config.hiddenSize(), config.numHeads(), config.numLayers(), random, masks);
            pass = bert.forward(tokens, masks, bert.trains());
            inputs.feed(ph, bert, pass, tokens);
            flops = forwardFlops(tokens);
        }
        long t1 = System.nanoTime();
        ph.keySet().removeIf(name -> !sd.hasVariable(name)); // a placeholder the head does not read
        OutAndGrad og;
        try {
            og = LibraryOutput.toDebugLog(() -> sd.calculateGradientsAndOutputs(ph, List.of(loss.name()), wanted));
        } catch (RuntimeException e) {
            throw headFailed(e, ph);
        }
        double value = og.getOutputs().get(loss.name()).getDouble(0);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        head.keySet().forEach(k -> grads.put(k, og.getGradients().get(k)));
        headGradients.add(grads);
        long t2 = System.nanoTime();
        if (pass != null && bert.trains()) {
            bert.backward(
                    pass, inputs.poolGradients(og.getGradients()), inputs.hiddenGradients(og.getGradients(), tokens));
        }
        releaseActivations();
        return new MicroBatch(value, batch.examples(), flops, t1 - t0 + System.nanoTime() - t2, t2 - t1);
    }

    /** The step's gradients, averaged over its micro-batches: the head's, the encoder's and the word rows used. */
    Map<String, INDArray> gradients(int microBatches) {
        Map<String, INDArray> grads = new LinkedHashMap<>(headGradients.averaged());
        Map<String, INDArray> encoder = bert.gradients();
        INDArray wordRows = bert.wordGradient() != null ? bert.wordGradient().rows() : null;
        if (microBatches > 1) {
            encoder.values().forEach(g -> g.divi(microBatches));
            if (wordRows != null) {
                wordRows.divi(microBatches);
            }
        }
        grads.putAll(encoder);
        if (wordRows != null) {
            grads.put(WordGradient.NAME, wordRows);
        }
        return grads;
    }

    /** The head on the current weights, dropout off, for the task's evaluation. */
    HeadRunner headRunner() {
        return (batch, variables) -> {
            Map<String, INDArray> ph = new HashMap<>(batch.placeholders());
            if (inputs.used()) {
                Tokens tokens = tokens(batch);
                inputs.feed(ph, bert, bert.forward(tokens, Dropout.NONE, false), tokens);
            }
            for (String v : variables) {
                if (!sd.hasVariable(v)) {
                    throw new IllegalArgumentException("task '" + taskName + "': its head has no variable '" + v
                            + "' (name one with TaskGraph.output)");
                }
            }
            ph.keySet().removeIf(name -> !sd.hasVariable(name));
            Map<String, INDArray> out;
            try {
                out = new LinkedHashMap<>(LibraryOutput.toDebugLog(() -> sd.output(ph, variables)));
            } catch (RuntimeException e) {
                throw headFailed(e, ph);
            }
            out.replaceAll((k, a) -> a.dup());
            releaseActivations();
            return out;
        };
    }

    private Tokens tokens(Batch batch) {
        if (batch.sequences().isEmpty()) {
            throw new IllegalArgumentException("task '" + taskName + "': its head reads the encoder, but the batch"
                    + " has no sequences (add them with BatchBuilder.add)");
        }
        return Tokens.of(batch.sequences(), config.maxPositions());
    }

    /** A failure inside the head graph, with the task named and the shapes it was fed. */
    private IllegalStateException headFailed(RuntimeException e, Map<String, INDArray> ph) {
        Map<String, String> shapes = new java.util.TreeMap<>();
        ph.forEach((k, v) -> shapes.put(k, java.util.Arrays.toString(v.shape())));
        return new IllegalStateException(
                "task '" + taskName + "': its head graph failed (" + e.getMessage() + "); the placeholders it was fed: "
                        + shapes,
                e);
    }

    /** Drops the graph's and its gradient function's sessions (they hold the last step's arrays); both are rebuilt. */
    private void releaseActivations() {
        sd.getSessions().clear();
        SameDiff grad = sd.getFunction("grad"); // SameDiff.GRAD_FN_KEY, which is not public
        if (grad != null) {
            grad.getSessions().clear();
        }
    }

    /** Encoder weights (checkpoint layout, all of them) plus the head's, for a checkpoint. */
    Map<String, Tensor> weights() {
        Map<String, Tensor> out = new LinkedHashMap<>(bert.weights());
        head.forEach((name, value) -> out.put(name, NdTensors.toTensor(value)));
        return out;
    }

    /** Forward FLOPs of a batch by its real lengths. */
    private double forwardFlops(Tokens tokens) {
        double sum = 0;
        for (int s = 0; s < tokens.sequences(); s++) {
            sum += Flops.forward(config, tokens.length(s));
        }
        return sum;
    }
}
