package org.taskbert.model;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors a {@link BertConfig} implies, by Hugging Face name, with their shapes, and the check of a checkpoint
 * against them. Every loader's weights pass the check (in {@link BertWeights}'s constructor), so that no native code
 * ever sees an array of the wrong size and no NaN reaches a vector:
 *
 * <ul>
 *   <li>every weight the encoder reads is present, with the shape the config implies;
 *   <li>the pooler and the pre-training heads ({@code cls.*}), where present, have theirs;
 *   <li>no layer lies beyond {@code num_hidden_layers};
 *   <li>every value of every tensor is finite (one pass, no copy).
 * </ul>
 */
final class BertLayout {

    /** A tensor's expected shape, and the config fields it comes from, for the message. */
    record Expected(long[] shape, String fields) {}

    private static final String LAYER_PREFIX = "encoder.layer.";

    private BertLayout() {}

    /** The tensors the encoder reads, in the order it reads them. */
    static Map<String, Expected> encoder(BertConfig c) {
        long v = c.vocabSize();
        long h = c.hiddenSize();
        long in = c.intermediateSize();
        Map<String, Expected> m = new LinkedHashMap<>();
        m.put("embeddings.word_embeddings.weight", shape("vocab_size, hidden_size", v, h));
        m.put(
                "embeddings.position_embeddings.weight",
                shape("max_position_embeddings, hidden_size", c.maxPositions(), h));
        m.put("embeddings.token_type_embeddings.weight", shape("type_vocab_size, hidden_size", c.typeVocabSize(), h));
        m.put("embeddings.LayerNorm.weight", shape("hidden_size", h));
        m.put("embeddings.LayerNorm.bias", shape("hidden_size", h));
        for (int i = 0; i < c.numLayers(); i++) {
            for (String dense : new String[] {
                "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"
            }) {
                m.put(BertWeights.layer(i, dense + ".weight"), shape("hidden_size, hidden_size", h, h));
                m.put(BertWeights.layer(i, dense + ".bias"), shape("hidden_size", h));
            }
            m.put(BertWeights.layer(i, "attention.output.LayerNorm.weight"), shape("hidden_size", h));
            m.put(BertWeights.layer(i, "attention.output.LayerNorm.bias"), shape("hidden_size", h));
            m.put(BertWeights.layer(i, "intermediate.dense.weight"), shape("intermediate_size, hidden_size", in, h));
            m.put(BertWeights.layer(i, "intermediate.dense.bias"), shape("intermediate_size", in));
            m.put(BertWeights.layer(i, "output.dense.weight"), shape("hidden_size, intermediate_size", h, in));
            m.put(BertWeights.layer(i, "output.dense.bias"), shape("hidden_size", h));
            m.put(BertWeights.layer(i, "output.LayerNorm.weight"), shape("hidden_size", h));
            m.put(BertWeights.layer(i, "output.LayerNorm.bias"), shape("hidden_size", h));
        }
        return m;
    }

    /** The pooler (both or neither) and BERT's pre-training heads as the loaders name them; each may be absent. */
    static Map<String, Expected> optional(BertConfig c) {
        long v = c.vocabSize();
        long h = c.hiddenSize();
        Map<String, Expected> m = new LinkedHashMap<>();
        m.put(BertWeights.POOLER_WEIGHT, shape("hidden_size, hidden_size", h, h));
        m.put(BertWeights.POOLER_BIAS, shape("hidden_size", h));
        m.put("cls.predictions.transform.dense.weight", shape("hidden_size, hidden_size", h, h));
        m.put("cls.predictions.transform.dense.bias", shape("hidden_size", h));
        m.put("cls.predictions.transform.LayerNorm.weight", shape("hidden_size", h));
        m.put("cls.predictions.transform.LayerNorm.bias", shape("hidden_size", h));
        m.put("cls.predictions.bias", shape("vocab_size", v));
        m.put("cls.predictions.decoder.weight", shape("vocab_size, hidden_size", v, h));
        m.put("cls.predictions.decoder.bias", shape("vocab_size", v));
        m.put("cls.seq_relationship.weight", shape("2, hidden_size", 2, h));
        m.put("cls.seq_relationship.bias", shape("2", 2));
        return m;
    }

    /** Refuses, with a {@link ModelLoadException} naming the tensor and {@code source}, weights that break the rules. */
    static void check(BertConfig c, Map<String, Tensor> tensors, String source) {
        checkShapes(c, tensors, source);
        checkFinite(tensors, source);
    }

    /** The shape checks alone: cheap, for the same tensors under another config. */
    static void checkShapes(BertConfig c, Map<String, Tensor> tensors, String source) {
        for (Map.Entry<String, Expected> e : encoder(c).entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t == null) {
                throw new ModelLoadException("the checkpoint " + source + " has no tensor '" + e.getKey()
                        + "' (expected shape " + describe(e.getValue()) + " for " + summary(c) + ")");
            }
            same(e.getKey(), t, e.getValue(), source);
        }
        Map<String, Expected> optional = optional(c);
        for (Map.Entry<String, Expected> e : optional.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            if (t != null) {
                same(e.getKey(), t, e.getValue(), source);
            }
        }
        if (tensors.containsKey(BertWeights.POOLER_WEIGHT) != tensors.containsKey(BertWeights.POOLER_BIAS)) {
            String missing = tensors.containsKey(BertWeights.POOLER_WEIGHT)
                    ? BertWeights.POOLER_BIAS
                    : BertWeights.POOLER_WEIGHT;
            throw new ModelLoadException("the checkpoint " + source + " has half a pooler: no tensor '" + missing
                    + "' (expected shape " + describe(optional.get(missing)) + ")");
        }
        for (String name : tensors.keySet()) {
            int layer = layerIndex(name);
            if (layer >= c.numLayers()) {
                throw new ModelLoadException("tensor '" + name + "' in " + source + " belongs to layer " + layer
                        + ", beyond the config's num_hidden_layers " + c.numLayers()
                        + " (a config.json that does not match the weights?)");
            }
        }
    }

    /** Every value of every tensor finite: NaN or infinity in a weight makes every vector NaN. */
    static void checkFinite(Map<String, Tensor> tensors, String source) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] data = e.getValue().data();
            int first = firstNonFinite(data);
            if (first >= 0) {
                int count = 1;
                for (int i = first + 1; i < data.length; i++) {
                    if (!Float.isFinite(data[i])) {
                        count++;
                    }
                }
                throw new ModelLoadException("tensor '" + e.getKey() + "' in " + source + " holds " + count
                        + (count == 1 ? " value that is" : " values that are") + " NaN or infinite, the first ("
                        + data[first] + ") at "
                        + Arrays.toString(index(e.getValue().shape(), first))
                        + " (a corrupt file, or weights saved after training diverged)");
            }
        }
    }

    /**
     * The index of the first NaN or infinity, or -1. A value is not finite when its exponent bits are all ones, that
     * is when its magnitude's bits plus one exponent step carry into the sign bit; OR-ing those sums over a block
     * is a branch-free loop the JIT vectorises (bert-base's 110M values take a fraction of a second).
     */
    static int firstNonFinite(float[] data) {
        final int block = 4096;
        for (int from = 0; from < data.length; from += block) {
            int to = Math.min(data.length, from + block);
            int carry = 0;
            for (int i = from; i < to; i++) {
                carry |= (Float.floatToRawIntBits(data[i]) & 0x7fffffff) + 0x00800000;
            }
            if (carry < 0) {
                for (int i = from; i < to; i++) {
                    if (!Float.isFinite(data[i])) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** The row-major index of element {@code flat} of a tensor of {@code shape}. */
    private static long[] index(long[] shape, long flat) {
        long[] at = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }

    private static void same(String name, Tensor t, Expected expected, String source) {
        if (!Arrays.equals(t.shape(), expected.shape())) {
            throw new ModelLoadException("tensor '" + name + "' in " + source + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + describe(expected));
        }
    }

    /** The layer number of an {@code encoder.layer.N.*} name, or -1 for other names. */
    private static int layerIndex(String name) {
        if (!name.startsWith(LAYER_PREFIX)) {
            return -1;
        }
        int end = name.indexOf('.', LAYER_PREFIX.length());
        String digits = name.substring(LAYER_PREFIX.length(), end < 0 ? name.length() : end);
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Integer.parseInt(digits);
    }

    private static String describe(Expected e) {
        return Arrays.toString(e.shape()) + " = [" + e.fields() + "]";
    }

    private static String summary(BertConfig c) {
        return "vocab_size " + c.vocabSize() + ", hidden_size " + c.hiddenSize() + ", num_hidden_layers "
                + c.numLayers() + ", intermediate_size " + c.intermediateSize() + ", max_position_embeddings "
                + c.maxPositions() + ", type_vocab_size " + c.typeVocabSize();
    }

    private static Expected shape(String fields, long... dims) {
        return new Expected(dims, fields);
    }
}
