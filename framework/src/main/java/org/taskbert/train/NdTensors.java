package org.taskbert.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.model.Tensor;

/** Copies between ND4J arrays and {@link Tensor}s (float32, C order). */
final class NdTensors {

    private NdTensors() {}

    static Tensor toTensor(INDArray array) {
        INDArray copy = array.dataType() == DataType.FLOAT
                ? array.dup('c')
                : array.castTo(DataType.FLOAT).dup('c');
        return new Tensor(array.shape().clone(), copy.data().asFloat());
    }

    static INDArray toArray(Tensor tensor) {
        return Nd4j.create(tensor.data().clone(), tensor.shape().clone(), DataType.FLOAT);
    }
}
