package org.taskbert.encoder;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * Inputs sorted by length and cut into batches of at most {@code batchSize} inputs and {@link Encoder#MAX_BATCH_TOKENS}
 * padded tokens, so that padding costs little and long inputs do not blow up memory; results back in input order.
 */
final class LengthSortedBatches {

    private LengthSortedBatches() {}

    /**
     * Runs {@code forward} on each batch (indices into {@code inputs}) and scatters its [B, H] vectors (row-major) back to the
     * inputs' order.
     */
    static Map<Pooling, float[][]> encode(
            List<Encoding> inputs,
            Set<Pooling> poolings,
            int batchSize,
            Encoder.Progress progress,
            Function<List<Integer>, Map<Pooling, float[]>> forward) {
        Map<Pooling, float[][]> result = new EnumMap<>(Pooling.class);
        for (Pooling p : poolings) {
            result.put(p, new float[inputs.size()][]);
        }
        Integer[] order = new Integer[inputs.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingInt(i -> inputs.get(i).inputIds().length));
        int done = 0;
        for (int start = 0, end; start < order.length; start = end) {
            end = start + 1;
            while (end < order.length
                    && end - start < batchSize
                    && (long) (end - start + 1) * inputs.get(order[end]).inputIds().length
                            <= Encoder.MAX_BATCH_TOKENS) {
                end++;
            }
            List<Integer> batch = Arrays.asList(order).subList(start, end);
            Map<Pooling, float[]> out = forward.apply(batch);
            for (Pooling p : poolings) {
                float[] vectors = out.get(p);
                int h = vectors.length / batch.size();
                float[][] dest = result.get(p);
                for (int r = 0; r < batch.size(); r++) {
                    dest[batch.get(r)] = Arrays.copyOfRange(vectors, r * h, (r + 1) * h);
                }
            }
            done += batch.size();
            progress.done(done);
        }
        return result;
    }
}
