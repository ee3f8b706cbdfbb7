package org.taskbert.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Training batches as a deterministic function of (epoch, index), so that a resumed run continues
 * exactly where a killed one stopped.
 */
public interface BatchSource {

    int batchesPerEpoch();

    Batch batch(long epoch, int index);

    /**
     * The usual source: each epoch draws {@code perEpoch} examples afresh (from the epoch's seed),
     * cut into consecutive batches of {@code batchSize}; the current epoch's draw is kept.
     */
    static <T> BatchSource epochs(
            int perEpoch, int batchSize, LongFunction<List<T>> draw, Function<List<T>, Batch> toBatch) {
        if (perEpoch < 1 || batchSize < 1) {
            throw new IllegalArgumentException(
                    "examples per epoch and batch size must be positive, got " + perEpoch + " and " + batchSize);
        }
        return new BatchSource() {
            private long cachedEpoch = -1;
            private List<T> examples;

            @Override
            public int batchesPerEpoch() {
                return Math.max(1, perEpoch / batchSize);
            }

            @Override
            public Batch batch(long epoch, int index) {
                if (epoch != cachedEpoch) {
                    examples = draw.apply(epoch);
                    cachedEpoch = epoch;
                }
                return toBatch.apply(
                        examples.subList(index * batchSize, Math.min(examples.size(), (index + 1) * batchSize)));
            }
        };
    }

    /** Each epoch the first {@code perEpoch} items of a fresh {@link #shuffle}, in batches of {@code batchSize}. */
    static <T> BatchSource shuffled(
            List<T> items, int perEpoch, int batchSize, long seed, Function<List<T>, Batch> toBatch) {
        if (perEpoch > items.size()) {
            throw new IllegalArgumentException(perEpoch + " examples per epoch, but only " + items.size() + " to draw");
        }
        return epochs(perEpoch, batchSize, epoch -> shuffle(items, seed, epoch).subList(0, perEpoch), toBatch);
    }

    /** The items in the order of an epoch: a shuffle seeded by {@link #epochSeed}. */
    static <T> List<T> shuffle(List<T> items, long seed, long epoch) {
        List<T> order = new ArrayList<>(items);
        Collections.shuffle(order, new Random(epochSeed(seed, epoch)));
        return order;
    }

    /** The seed of an epoch's draw, from the run's seed. */
    static long epochSeed(long seed, long epoch) {
        return seed + 1_000_003L * epoch;
    }
}
