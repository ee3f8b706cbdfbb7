package org.taskbert.task;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.encoder.BertGraph;
import org.taskbert.model.LoadedModel;
import org.taskbert.spi.Batch;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskGraph;

/** For task tests: the loss a task's graph computes for a batch, with its backward pass checked on the way. */
public final class TaskLosses {

    private TaskLosses() {}

    /**
     * The task's loss over a two-layer tiny model whose top layer trains; the backward pass into that layer must give
     * a finite, non-zero gradient.
     */
    public static double graphLoss(Task task, Batch batch, LoadedModel model) {
        SameDiff sd = SameDiff.create();
        BertGraph bert = BertGraph.build(sd, model.weights(), n -> n.startsWith("encoder.layer.1."));
        SDVariable loss = task.buildLoss(new TaskGraph(sd, bert));
        sd.setLossVariables(loss);
        java.util.Map<String, INDArray> ph = new java.util.HashMap<>(org.taskbert.encoder.BertInputs.of(
                batch.sequences(), model.config().maxPositions()));
        ph.putAll(batch.placeholders());
        ph.keySet().removeIf(name -> !sd.hasVariable(name));
        String w = "encoder.layer.1.output.dense.weight";
        INDArray grad = sd.calculateGradients(ph, w).get(w);
        double norm = grad.norm2Number().doubleValue();
        assertTrue(Double.isFinite(norm) && norm > 0, "gradient norm " + norm);
        return sd.output(ph, loss.name()).get(loss.name()).getDouble(0);
    }
}
