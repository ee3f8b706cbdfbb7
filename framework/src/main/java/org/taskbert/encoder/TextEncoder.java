package org.taskbert.encoder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.model.LoadedModel;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.SentenceEncoder;
import org.taskbert.tokenize.BertTokenizer;

/** Texts in, sentence vectors out: a model's tokenizer in front of an {@link Encoder}. */
public final class TextEncoder implements SentenceEncoder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TextEncoder.class);

    private final LoadedModel model;
    private final BertTokenizer tokenizer;
    private final Encoder encoder;
    private final int maxLength;
    private boolean warnedTruncation;

    public TextEncoder(LoadedModel model, Encoder encoder, int maxLength) {
        if (maxLength < 2 || maxLength > model.config().maxPositions()) {
            throw new IllegalArgumentException("max length must be within 2.."
                    + model.config().maxPositions() + " for " + model.name() + ", got " + maxLength);
        }
        this.model = model;
        this.tokenizer = model.tokenizer();
        this.encoder = encoder;
        this.maxLength = maxLength;
    }

    /** The usual set-up: the inference encoder at the given batch size and BERT's 512-token limit. */
    public static TextEncoder open(LoadedModel model, int batchSize) {
        return open(model, batchSize, BertTokenizer.DEFAULT_MAX_LENGTH);
    }

    /** As {@link #open(LoadedModel, int)} with another maximum length (capped at the model's positions). */
    public static TextEncoder open(LoadedModel model, int batchSize, int maxLength) {
        return new TextEncoder(
                model,
                new InferenceEncoder(model.weights(), batchSize),
                Math.min(maxLength, model.config().maxPositions()));
    }

    public LoadedModel model() {
        return model;
    }

    public Encoder encoder() {
        return encoder;
    }

    public BertTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public Map<Pooling, float[][]> embed(List<String> texts, Set<Pooling> poolings, boolean normalize) {
        return embed(texts, poolings, normalize, Encoder.Progress.NONE);
    }

    @Override
    public Map<Pooling, float[][]> embedPairs(List<String> first, List<String> second, Set<Pooling> poolings) {
        return embedPairs(first, second, poolings, Encoder.Progress.NONE);
    }

    /** This encoder as a {@link SentenceEncoder} that reports each call's progress (given its number of texts). */
    public SentenceEncoder reporting(java.util.function.IntFunction<Encoder.Progress> progressFor) {
        return new SentenceEncoder() {
            @Override
            public Map<Pooling, float[][]> embed(List<String> texts, Set<Pooling> poolings, boolean normalize) {
                return TextEncoder.this.embed(texts, poolings, normalize, progressFor.apply(texts.size()));
            }

            @Override
            public Map<Pooling, float[][]> embedPairs(List<String> first, List<String> second, Set<Pooling> poolings) {
                return TextEncoder.this.embedPairs(first, second, poolings, progressFor.apply(first.size()));
            }
        };
    }

    /**
     * One vector per text for each pooling, optionally L2-normalised. {@code prompt} reads its own inputs (each text in
     * its template), so with other poolings the texts go through the encoder twice.
     */
    public Map<Pooling, float[][]> embed(
            List<String> texts, Set<Pooling> poolings, boolean normalize, Encoder.Progress progress) {
        Map<Pooling, float[][]> out = new EnumMap<>(Pooling.class);
        Set<Pooling> plain = EnumSet.noneOf(Pooling.class);
        plain.addAll(poolings);
        if (plain.remove(Pooling.PROMPT)) {
            out.putAll(encodeAll(inputs(texts, Pooling.PROMPT), EnumSet.of(Pooling.PROMPT), normalize, progress));
        }
        if (!plain.isEmpty() || poolings.isEmpty()) {
            // every pooling but prompt reads the same plain [CLS] text [SEP] input; MEAN names that input
            out.putAll(encodeAll(inputs(texts, Pooling.MEAN), plain, normalize, progress));
        }
        return out;
    }

    private List<Encoding> inputs(List<String> texts, Pooling pooling) {
        List<Encoding> inputs = new ArrayList<>(texts.size());
        for (String t : texts) {
            inputs.add(tokenizer.encode(t, maxLength, pooling));
        }
        return inputs;
    }

    /** One vector per pair, encoded jointly as BERT's pre-training did: [CLS] A [SEP] B [SEP], segments 0/1. */
    public Map<Pooling, float[][]> embedPairs(
            List<String> first, List<String> second, Set<Pooling> poolings, Encoder.Progress progress) {
        if (poolings.contains(Pooling.PROMPT)) {
            throw new IllegalArgumentException("pooling 'prompt' encodes one text in its template, not a pair");
        }
        List<Encoding> inputs = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            inputs.add(tokenizer.encodePair(first.get(i), second.get(i), maxLength));
        }
        return encodeAll(inputs, poolings, false, progress);
    }

    private Map<Pooling, float[][]> encodeAll(
            List<Encoding> inputs, Set<Pooling> poolings, boolean normalize, Encoder.Progress progress) {
        long truncated = inputs.stream().filter(Encoding::truncated).count();
        if (truncated > 0 && !warnedTruncation) {
            warnedTruncation = true;
            LOG.warn(
                    "{} text(s) longer than {} tokens were truncated (this warning is shown once per run)",
                    truncated,
                    maxLength);
        }
        Map<Pooling, float[][]> out = encoder.encode(inputs, poolings, progress);
        if (normalize) {
            out.values().forEach(TextEncoder::normalizeRows);
        }
        return out;
    }

    static void normalizeRows(float[][] rows) {
        for (float[] v : rows) {
            double sq = 0;
            for (float x : v) {
                sq += (double) x * x;
            }
            if (sq > 0) {
                float inv = (float) (1 / Math.sqrt(sq));
                for (int i = 0; i < v.length; i++) {
                    v[i] *= inv;
                }
            }
        }
    }

    @Override
    public void close() {
        encoder.close();
    }
}
