package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

class LengthSortedBatchesTest {

    private static Encoding ofLength(int n) {
        return new Encoding(new int[n], new int[n], false);
    }

    @Test
    void batchesAreSortedByLengthCappedInCountAndPaddedTokensAndResultsComeBackInInputOrder() {
        // 300 short inputs, then 3 long ones: 128 + 128 + 44 short, then long ones as the token budget allows.
        List<Encoding> inputs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            inputs.add(ofLength(10 + i % 5));
        }
        int longLen = Encoder.MAX_BATCH_TOKENS / 2;
        inputs.add(1, ofLength(longLen));
        inputs.add(ofLength(longLen));
        inputs.add(ofLength(longLen + 1));
        List<int[]> shapes = new ArrayList<>();
        Map<Pooling, float[][]> out =
                LengthSortedBatches.encode(inputs, EnumSet.of(Pooling.CLS), 128, c -> {}, batch -> {
                    int longest = batch.stream()
                            .mapToInt(i -> inputs.get(i).inputIds().length)
                            .max()
                            .orElseThrow();
                    shapes.add(new int[] {batch.size(), longest});
                    // Each input's "vector" is its index, so the order of the results can be checked.
                    float[] v = new float[batch.size()];
                    for (int r = 0; r < v.length; r++) {
                        v[r] = batch.get(r);
                    }
                    return Map.of(Pooling.CLS, v);
                });
        // Short ones: 60 each of lengths 10..14, sorted; the two 4096-token inputs fill one batch's budget exactly.
        assertEquals(
                List.of("128x12", "128x14", "44x14", "2x4096", "1x4097"),
                shapes.stream().map(s -> s[0] + "x" + s[1]).toList());
        float[][] cls = out.get(Pooling.CLS);
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(new float[] {i}, cls[i]);
        }
    }
}
