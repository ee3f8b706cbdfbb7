package org.taskbert.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds a {@link Batch}: sequences in encoder row order, the head's placeholders, and row selections (blocks of
 * encoder rows a head picks with {@link TaskGraph#select}; their width is the final number of sequences).
 */
public final class BatchBuilder {

    private final List<Encoding> sequences = new ArrayList<>();
    private final Map<String, INDArray> placeholders = new LinkedHashMap<>();
    private final Map<String, int[]> selections = new LinkedHashMap<>();

    /** Appends a sequence; returns its encoder row. */
    public int add(Encoding sequence) {
        sequences.add(sequence);
        return sequences.size() - 1;
    }

    public BatchBuilder addAll(List<Encoding> more) {
        sequences.addAll(more);
        return this;
    }

    /** Rows {@code from .. from + count − 1} of the encoder's outputs, for {@link TaskGraph#select}. */
    public BatchBuilder rows(String name, int from, int count) {
        selections.put(name, new int[] {from, count});
        return this;
    }

    public BatchBuilder put(String name, INDArray value) {
        placeholders.put(name, value);
        return this;
    }

    /** A column of values, [N, 1]. */
    public BatchBuilder column(String name, float[] values) {
        return put(name, Nd4j.createFromArray(values).reshape(values.length, 1));
    }

    /** One-hot rows, [N, classes]. */
    public BatchBuilder oneHot(String name, int[] labels, int classes) {
        float[][] y = new float[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            y[i][labels[i]] = 1;
        }
        return put(name, Nd4j.createFromArray(y));
    }

    public Batch build(int examples) {
        Map<String, INDArray> out = new LinkedHashMap<>(placeholders);
        selections.forEach((name, r) -> out.put(name, selection(r[0], r[1], sequences.size())));
        return new Batch(sequences, out, examples);
    }

    /**
     * A 0/1 [count, width] matrix whose product with [width, H] is rows offset..offset+count−1: for a head that picks
     * rows of its own inputs (the encoder's rows are picked with {@link #rows}).
     */
    public static INDArray selection(int offset, int count, int width) {
        if (offset < 0 || count < 1 || offset + count > width) {
            throw new IllegalArgumentException("rows " + offset + ".." + (offset + count - 1) + " are not within the "
                    + width + " rows of the batch");
        }
        float[][] m = new float[count][width];
        for (int i = 0; i < count; i++) {
            m[i][offset + i] = 1;
        }
        return Nd4j.createFromArray(m).castTo(DataType.FLOAT);
    }
}
