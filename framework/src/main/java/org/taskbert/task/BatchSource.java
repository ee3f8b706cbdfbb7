package org.taskbert.task;

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
    static <T> BatchSource epochs(int perEpoch, int batchSize, java.util.function.LongFunction<java.util.List<T>> draw,
            java.util.function.Function<java.util.List<T>, Batch> toBatch) {
        return new BatchSource() {
            private long cachedEpoch = -1;
            private java.util.List<T> examples;

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
                return toBatch.apply(examples.subList(index * batchSize,
                        Math.min(examples.size(), (index + 1) * batchSize)));
            }
        };
    }
}
