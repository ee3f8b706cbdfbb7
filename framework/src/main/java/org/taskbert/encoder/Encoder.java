package org.taskbert.encoder;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taskbert.model.BertConfig;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * A BERT encoder for inference: token ids in, pooled vectors out.
 */
public interface Encoder extends AutoCloseable {

    /**
     * Sentences per forward pass unless a caller says otherwise (BENCHMARKS.md times the batch sizes);
     * {@link #MAX_BATCH_TOKENS} keeps long inputs' batches smaller.
     */
    int DEFAULT_BATCH_SIZE = 128;

    /** A batch stops growing before its padded size (sentences × longest) passes this many tokens. */
    int MAX_BATCH_TOKENS = 8192;

    BertConfig config();

    /** The poolings this model can compute ({@code pooler} only when its weights exist). */
    Set<Pooling> available();

    /**
     * Encodes each input (already [CLS] ... [SEP]) and returns, for each pooling asked for, one
     * vector per input in input order.
     */
    Map<Pooling, float[][]> encode(List<Encoding> inputs, Set<Pooling> poolings, Progress progress);

    @Override
    void close();

    /** Called after each batch with the number of inputs done so far. */
    @FunctionalInterface
    interface Progress {
        void done(int count);

        Progress NONE = count -> {};
    }
}
