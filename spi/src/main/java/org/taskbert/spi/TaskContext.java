package org.taskbert.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a task is created with. Not the model itself: its sizes, its tokenizer, the run's training length, batch
 * size and seed, and for tasks that cache the base model's vectors, a frozen encoder, a fingerprint of the model and a
 * cache folder.
 */
public interface TaskContext {

    ModelShape model();

    Tokenizer tokenizer();

    /** Tokens per sequence in training ({@code training.max_length}). */
    int maxLength();

    /** Examples per micro-batch ({@code training.batch_size}). */
    int batchSize();

    long seed();

    /** The base model's (untrained) sentence vectors, each text cut at {@code maxLength} tokens. */
    float[][] frozenVectors(List<String> texts, Pooling pooling, int maxLength) throws IOException;

    /** A digest of the base model's weights and vocabulary: a cache key that changes with the model. */
    String modelFingerprint() throws IOException;

    /** A folder for caches shared by runs ({@code TASKBERT_CACHE}, by default under the user's home). */
    Path cacheDir();
}
