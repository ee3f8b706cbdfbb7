package org.taskbert.encoder;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * Inference with {@link BertGraph}: the graph is built once, inputs are sorted by length and cut
 * into batches so that padding costs little, and every pooling comes out of one pass.
 */
public final class SameDiffEncoder implements Encoder {

    private final BertWeights weights;
    private final SameDiff sd;
    private final EnumSet<Pooling> available;
    private final int batchSize;

    public SameDiffEncoder(BertWeights weights, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.weights = weights;
        this.batchSize = batchSize;
        this.sd = SameDiff.create();
        BertGraph graph = BertGraph.build(sd, weights, name -> false);
        this.available = EnumSet.allOf(Pooling.class);
        if (!weights.hasPooler()) {
            available.removeIf(Pooling::needsPooler);
        }
        for (Pooling p : available) {
            sd.identity(outputName(p), graph.pool(p));
        }
    }

    @Override
    public BertConfig config() {
        return weights.config();
    }

    @Override
    public Set<Pooling> available() {
        return EnumSet.copyOf(available);
    }

    @Override
    public Map<Pooling, float[][]> encode(List<Encoding> inputs, Set<Pooling> poolings, Progress progress) {
        for (Pooling p : poolings) {
            if (!available.contains(p)) {
                weights.require(BertWeights.POOLER_WEIGHT); // throws, naming the missing variable
            }
        }
        String[] outputs = poolings.stream().map(SameDiffEncoder::outputName).toArray(String[]::new);
        return LengthSortedBatches.encode(inputs, poolings, batchSize, progress, batch -> {
            Map<String, INDArray> out = sd.output(placeholders(inputs, batch, config().maxPositions()), outputs);
            Map<Pooling, float[]> pooled = new EnumMap<>(Pooling.class);
            poolings.forEach(
                    p -> pooled.put(p, out.get(outputName(p)).dup('c').data().asFloat()));
            return pooled;
        });
    }

    /** Right-padded int32 ids, token types, positions and the 1/0 mask for one batch. */
    static Map<String, INDArray> placeholders(List<Encoding> inputs, List<Integer> batch, int maxPositions) {
        return BertInputs.of(batch.stream().map(inputs::get).toList(), maxPositions);
    }

    private static String outputName(Pooling p) {
        return "pooled_" + p.id();
    }

    @Override
    public void close() {
        // M2.1's SameDiff has no close(); its arrays are off-heap and freed with their Java objects.
    }
}
