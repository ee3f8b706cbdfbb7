package org.taskbert.encoder;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taskbert.model.BertConfig;
import org.taskbert.model.BertWeights;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * {@link Encoder} over the one BERT implementation ({@link Bert}) with nothing kept for a backward pass: inputs
 * sorted by length and cut into batches ({@link LengthSortedBatches}), each packed to its real tokens, every pooling
 * out of one pass. Used by {@code embed}, evaluation, {@code compare} and {@code bench}.
 */
public final class InferenceEncoder implements Encoder {

    private final BertWeights weights;
    private final Bert bert;
    private final int batchSize;
    private final EnumSet<Pooling> available;

    public InferenceEncoder(BertWeights weights, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.weights = weights;
        this.bert = new Bert(weights);
        this.batchSize = batchSize;
        this.available = EnumSet.allOf(Pooling.class);
        if (!bert.hasPooler()) {
            available.removeIf(Pooling::needsPooler);
        }
    }

    @Override
    public BertConfig config() {
        return bert.config();
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
        int positions = config().maxPositions();
        return LengthSortedBatches.encode(
                inputs,
                poolings,
                batchSize,
                progress,
                batch -> bert.pool(bert.forward(Tokens.of(inputs, batch, positions), Dropout.NONE, false), poolings));
    }

    @Override
    public void close() {
        // The arenas are off-heap and freed with their Java objects.
    }
}
