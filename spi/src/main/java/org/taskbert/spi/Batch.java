package org.taskbert.spi;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One training micro-batch: the sequences the encoder reads (row {@code i} of every encoder output is
 * {@code sequences.get(i)}; empty for a head on fixed vectors), values for the head's own placeholders, and how many
 * examples it holds. Build one with {@link BatchBuilder}.
 */
public record Batch(List<Encoding> sequences, Map<String, INDArray> placeholders, int examples) {

    public Batch {
        sequences = List.copyOf(sequences);
        placeholders = Map.copyOf(placeholders);
        if (examples < 1) {
            throw new IllegalArgumentException("a batch holds at least one example, got " + examples);
        }
    }
}
