package org.taskbert.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A BERT checkpoint in memory: the config and every weight under Hugging Face {@code BertModel}
 * names (without the {@code bert.} prefix) and layouts (dense weights are [out, in]), whatever
 * format it was read from. Every set of weights is checked against its config when made ({@link BertLayout}): a
 * missing tensor, a wrong shape or a NaN is a {@link ModelLoadException} naming the tensor and the source.
 */
public final class BertWeights {

    private final BertConfig config;
    private final Map<String, Tensor> tensors;
    private final String source;

    /** @param source where the weights came from (the file, for a file), for error messages */
    public BertWeights(BertConfig config, Map<String, Tensor> tensors, String source) {
        this(config, Collections.unmodifiableMap(new LinkedHashMap<>(tensors)), source, true);
    }

    private BertWeights(BertConfig config, Map<String, Tensor> tensors, String source, boolean checkValues) {
        if (checkValues) {
            BertLayout.check(config, tensors, source);
        } else {
            BertLayout.checkShapes(config, tensors, source);
        }
        this.config = config;
        this.tensors = tensors;
        this.source = source;
    }

    /** The same weights under another config (e.g. another activation); the values, checked once, are not again. */
    public BertWeights withConfig(BertConfig other) {
        return new BertWeights(other, tensors, source, false);
    }

    public BertConfig config() {
        return config;
    }

    /** Where the weights came from, for error messages. */
    public String source() {
        return source;
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public Set<String> names() {
        return new TreeSet<>(tensors.keySet());
    }

    public Map<String, Tensor> all() {
        return tensors;
    }

    /** The named weight, checked against the expected shape; a missing one is a loud error. */
    public Tensor require(String name, long... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new MissingWeightException(name, source);
        }
        if (shape.length > 0 && !java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalStateException("weight '" + name + "' in " + source + " has shape "
                    + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(shape));
        }
        return t;
    }

    public boolean hasPooler() {
        return has(POOLER_WEIGHT) && has(POOLER_BIAS);
    }

    public static final String POOLER_WEIGHT = "pooler.dense.weight";
    public static final String POOLER_BIAS = "pooler.dense.bias";

    public static String layer(int i, String suffix) {
        return "encoder.layer." + i + "." + suffix;
    }

    /** A checkpoint lacks a weight the computation needs. */
    public static final class MissingWeightException extends IllegalStateException {
        public MissingWeightException(String name, String source) {
            super("the checkpoint " + source + " has no weight '" + name + "'"
                    + (name.startsWith("pooler.")
                            ? " (no pooler weights: 'pooler' pooling needs bert/pooler/dense;"
                                    + " refusing to use a randomly initialised layer)"
                            : ""));
        }
    }
}
