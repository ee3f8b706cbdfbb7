package org.taskbert.encoder;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.spi.Encoding;

/**
 * A batch of sequences packed one after another, real tokens only: what the encoder computes on. Token {@code i}
 * has word id {@code ids[i]}, segment {@code types[i]} and position {@code positions[i]}; sequence {@code s} is
 * tokens {@code starts[s] .. starts[s + 1] - 1}. {@code paddedRows[i]} is the token's place in the right-padded
 * [B, T] layout the batch came from ({@code s * T + position}), for tasks and tests that see that layout.
 */
public record Tokens(int[] ids, int[] types, int[] positions, int[] starts, int paddedTime, int[] paddedRows) {

    public int count() {
        return ids.length;
    }

    public int sequences() {
        return starts.length - 1;
    }

    public int length(int s) {
        return starts[s + 1] - starts[s];
    }

    public int maxLength() {
        int max = 0;
        for (int s = 0; s < sequences(); s++) {
            max = Math.max(max, length(s));
        }
        return max;
    }

    /** From {@link BertInputs}' padded placeholders ({@code input_ids}, {@code token_type_ids}, {@code attention_mask}). */
    public static Tokens of(Map<String, INDArray> placeholders, int maxPositions) {
        INDArray ids = require(placeholders, BertInputs.INPUT_IDS);
        INDArray mask = require(placeholders, BertInputs.ATTENTION_MASK);
        INDArray types = require(placeholders, BertInputs.TOKEN_TYPE_IDS);
        int b = (int) ids.size(0);
        int t = (int) ids.size(1);
        if (mask.size(0) != b || mask.size(1) != t || types.size(0) != b || types.size(1) != t) {
            throw new IllegalArgumentException(
                    "input_ids " + ids.shapeInfoToString() + ", token_type_ids " + types.shapeInfoToString()
                            + " and attention_mask " + mask.shapeInfoToString() + " differ in shape");
        }
        if (t > maxPositions) {
            throw new IllegalArgumentException(
                    "input of " + t + " tokens exceeds the model's " + maxPositions + " positions");
        }
        int[] allIds = ids.reshape(b * t).toIntVector();
        int[] allTypes = types.reshape(b * t).toIntVector();
        float[] m = mask.reshape(b * t).toFloatVector();
        int[] starts = new int[b + 1];
        int n = 0;
        for (int r = 0; r < b; r++) {
            int len = 0;
            while (len < t && m[r * t + len] > 0.5f) {
                len++;
            }
            for (int j = len; j < t; j++) {
                if (m[r * t + j] > 0.5f) {
                    throw new IllegalArgumentException("attention_mask row " + r + " is not right-padded: a token at "
                            + j + " after padding at " + len);
                }
            }
            n += len;
            starts[r + 1] = n;
        }
        int[] outIds = new int[n];
        int[] outTypes = new int[n];
        int[] positions = new int[n];
        int[] rows = new int[n];
        for (int r = 0; r < b; r++) {
            for (int j = 0, i = starts[r]; i < starts[r + 1]; j++, i++) {
                outIds[i] = allIds[r * t + j];
                outTypes[i] = allTypes[r * t + j];
                positions[i] = j;
                rows[i] = r * t + j;
            }
        }
        return new Tokens(outIds, outTypes, positions, starts, t, rows);
    }

    /** The encodings in order (each already [CLS] ... [SEP]). */
    public static Tokens of(List<Encoding> inputs, int maxPositions) {
        return of(
                inputs,
                java.util.stream.IntStream.range(0, inputs.size()).boxed().toList(),
                maxPositions);
    }

    /** The right-padded 1/0 attention mask, [sequences, paddedTime]. */
    public INDArray attentionMask() {
        float[] mask = new float[sequences() * paddedTime];
        for (int r : paddedRows) {
            mask[r] = 1;
        }
        return org.nd4j.linalg.factory.Nd4j.create(mask, new long[] {sequences(), paddedTime}, 'c');
    }

    /** The listed encodings in order (each already [CLS] ... [SEP]). */
    public static Tokens of(List<Encoding> inputs, List<Integer> batch, int maxPositions) {
        int[] starts = new int[batch.size() + 1];
        int t = 0;
        for (int s = 0; s < batch.size(); s++) {
            int len = inputs.get(batch.get(s)).inputIds().length;
            if (len > maxPositions) {
                throw new IllegalArgumentException(
                        "input of " + len + " tokens exceeds the model's " + maxPositions + " positions");
            }
            starts[s + 1] = starts[s] + len;
            t = Math.max(t, len);
        }
        int n = starts[batch.size()];
        int[] ids = new int[n];
        int[] types = new int[n];
        int[] positions = new int[n];
        int[] rows = new int[n];
        for (int s = 0; s < batch.size(); s++) {
            Encoding e = inputs.get(batch.get(s));
            System.arraycopy(e.inputIds(), 0, ids, starts[s], e.inputIds().length);
            System.arraycopy(e.tokenTypeIds(), 0, types, starts[s], e.inputIds().length);
            for (int j = 0; j < e.inputIds().length; j++) {
                positions[starts[s] + j] = j;
                rows[starts[s] + j] = s * t + j;
            }
        }
        return new Tokens(ids, types, positions, starts, t, rows);
    }

    private static INDArray require(Map<String, INDArray> ph, String name) {
        INDArray a = ph.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the batch has no '" + name + "' for the encoder");
        }
        return a;
    }
}
