package org.taskbert.encoder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.spi.Encoding;

/**
 * The encoder's inputs for a batch of encodings as a task hands them over, right-padded to the longest: int32
 * {@code input_ids} and {@code token_type_ids} [B, T], {@code position_ids} [T] and the float 1/0
 * {@code attention_mask} [B, T]. The trainer packs them to real tokens ({@link Tokens#of(Map, int)}).
 */
public final class BertInputs {

    public static final String INPUT_IDS = "input_ids";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String POSITION_IDS = "position_ids";
    public static final String ATTENTION_MASK = "attention_mask";

    private BertInputs() {}

    public static Map<String, INDArray> of(List<Encoding> batch, int maxPositions) {
        int t = time(batch);
        if (t > maxPositions) {
            throw new IllegalArgumentException(
                    "input of " + t + " tokens exceeds the model's " + maxPositions + " positions");
        }
        int b = batch.size();
        int[] ids = new int[b * t];
        int[] types = new int[b * t];
        float[] mask = new float[b * t];
        for (int r = 0; r < b; r++) {
            Encoding e = batch.get(r);
            int n = e.inputIds().length;
            System.arraycopy(e.inputIds(), 0, ids, r * t, n);
            System.arraycopy(e.tokenTypeIds(), 0, types, r * t, n);
            Arrays.fill(mask, r * t, r * t + n, 1f);
        }
        int[] positions = new int[t];
        Arrays.setAll(positions, i -> i);
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(INPUT_IDS, Nd4j.createFromArray(ids).reshape(b, t));
        ph.put(TOKEN_TYPE_IDS, Nd4j.createFromArray(types).reshape(b, t));
        ph.put(POSITION_IDS, Nd4j.createFromArray(positions));
        ph.put(ATTENTION_MASK, Nd4j.createFromArray(mask).reshape(b, t));
        return ph;
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
        return Nd4j.createFromArray(m);
    }
}
