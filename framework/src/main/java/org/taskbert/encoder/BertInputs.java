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
}
