package org.taskbert.encoder;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.tokenize.Encoding;

/** The encoder's placeholder values for a batch of encodings, right-padded to the longest. */
public final class BertInputs {

    private BertInputs() {
    }

    public static Map<String, INDArray> of(List<Encoding> batch, int maxPositions) {
        return SameDiffEncoder.placeholders(batch, IntStream.range(0, batch.size()).boxed().toList(), maxPositions);
    }

    /** The padded length of a batch. */
    public static int time(List<Encoding> batch) {
        return batch.stream().mapToInt(Encoding::length).max().orElse(0);
    }

    /**
     * A 0/1 matrix [count, width] that picks rows {@code offset .. offset+count-1} of a [width, H] batch by a product
     * (M2.1 cannot differentiate several gathers in one graph): row i has its single 1 at column offset + i.
     */
    public static INDArray rowSelection(int count, int offset, int width) {
        float[][] m = new float[count][width];
        for (int i = 0; i < count; i++) {
            m[i][offset + i] = 1;
        }
        return org.nd4j.linalg.factory.Nd4j.createFromArray(m);
    }
}
