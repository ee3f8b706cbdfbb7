package org.taskbert.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.model.Tensor;
import org.taskbert.spi.ModelShape;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.TaskContext;
import org.taskbert.tokenize.BertTokenizer;

/** The framework's {@link TaskContext}: a loaded model seen through the SPI, with the run's training settings. */
public final class ModelTaskContext implements TaskContext {

    private static final Logger LOG = LoggerFactory.getLogger(ModelTaskContext.class);

    private final LoadedModel model;
    private final int maxLength;
    private final int batchSize;
    private final long seed;
    private final BertTokenizer tokenizer;
    private String fingerprint;

    public ModelTaskContext(LoadedModel model, int maxLength, int batchSize, long seed) {
        this.model = model;
        this.maxLength = maxLength;
        this.batchSize = batchSize;
        this.seed = seed;
        this.tokenizer = model.tokenizer();
    }

    @Override
    public ModelShape model() {
        return model.config().shape();
    }

    /** One tokenizer for the run (tasks ask for it per text; reading the vocabulary each time cost a file read). */
    @Override
    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public float[][] frozenVectors(List<String> texts, Pooling pooling, int length) {
        try (TextEncoder enc = TextEncoder.open(model, Encoder.DEFAULT_BATCH_SIZE, length)) {
            return enc.embed(texts, EnumSet.of(pooling), false, progress(texts.size()))
                    .get(pooling);
        }
    }

    private static Encoder.Progress progress(int total) {
        int[] next = {2000};
        return done -> {
            if (done >= next[0] || done == total) {
                LOG.info("encoded {}/{}", done, total);
                next[0] = done + 2000;
            }
        };
    }

    /** SHA-256 over the weights (by name, in name order), the vocabulary and the casing. */
    @Override
    public String modelFingerprint() throws IOException {
        if (fingerprint == null) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            for (Map.Entry<String, Tensor> e : new TreeMap<>(model.weights().all()).entrySet()) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                float[] data = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(data.length, 1 << 20));
                for (int from = 0; from < data.length; from += 1 << 20) {
                    buf.clear();
                    int n = Math.min(data.length - from, 1 << 20);
                    buf.asFloatBuffer().put(data, from, n);
                    md.update(buf.array(), 0, 4 * n);
                }
            }
            md.update(Files.readAllBytes(model.vocabFile()));
            md.update((byte) (model.lowerCase() ? 1 : 0));
            fingerprint = HexFormat.of().formatHex(md.digest());
        }
        return fingerprint;
    }

    @Override
    public Path cacheDir() {
        return Models.cacheRoot();
    }
}
