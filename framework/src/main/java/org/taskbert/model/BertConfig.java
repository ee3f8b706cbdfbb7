package org.taskbert.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * BERT's architecture, in the field names of a Hugging Face {@code config.json} so that the same
 * record reads and writes that file. Unknown keys of a real config.json are ignored on purpose:
 * they describe other architectures' options. Every field is checked on construction, by its config.json name.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BertConfig(
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("num_hidden_layers") int numLayers,
        @JsonProperty("num_attention_heads") int numHeads,
        @JsonProperty("intermediate_size") int intermediateSize,
        @JsonProperty("max_position_embeddings") int maxPositions,
        @JsonProperty("type_vocab_size") int typeVocabSize,
        @JsonProperty("layer_norm_eps") double layerNormEps,
        @JsonProperty("hidden_act") Activation hiddenAct,
        @JsonProperty("hidden_dropout_prob") double hiddenDropout,
        @JsonProperty("attention_probs_dropout_prob") double attentionDropout) {

    /** GELU as BERT configs name it: {@code gelu} is the exact erf form, {@code gelu_new} the tanh one. */
    public enum Activation {
        @JsonProperty("gelu")
        GELU,
        @JsonProperty("gelu_new")
        GELU_TANH;

        public static Activation parse(String name) {
            return switch (name.trim()) {
                case "gelu" -> GELU;
                case "gelu_new", "gelu_tanh" -> GELU_TANH;
                default ->
                    throw new IllegalArgumentException(
                            "unknown activation '" + name + "'; valid: gelu (exact erf form), gelu_new (tanh form)");
            };
        }
    }

    /** Each field checked on its own, named as config.json names it, so that a bad file says which value is wrong. */
    public BertConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("intermediate_size", intermediateSize);
        positive("max_position_embeddings", maxPositions);
        positive("type_vocab_size", typeVocabSize);
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " must be a multiple of num_attention_heads " + numHeads);
        }
        // Each table must fit one Java array: a larger one could only come from a wrong file.
        fits("vocab_size", vocabSize, "hidden_size", hiddenSize);
        fits("max_position_embeddings", maxPositions, "hidden_size", hiddenSize);
        fits("intermediate_size", intermediateSize, "hidden_size", hiddenSize);
        fits("hidden_size", hiddenSize, "hidden_size", hiddenSize);
        if (Double.isNaN(layerNormEps) || Double.isInfinite(layerNormEps) || layerNormEps < 0) {
            throw new IllegalArgumentException("layer_norm_eps must be a small positive number, got " + layerNormEps);
        }
        probability("hidden_dropout_prob", hiddenDropout);
        probability("attention_probs_dropout_prob", attentionDropout);
        if (layerNormEps == 0) {
            layerNormEps = 1e-12;
        }
        if (hiddenAct == null) {
            hiddenAct = Activation.GELU;
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
    }

    private static void fits(String rowsField, int rows, String colsField, int cols) {
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rowsField + " " + rows + " × " + colsField + " " + cols
                    + " is too large for one tensor (at most " + (Integer.MAX_VALUE - 8) + " values)");
        }
    }

    private static void probability(String field, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + p);
        }
    }

    /** The sizes a task sees, through the SPI. */
    public org.taskbert.spi.ModelShape shape() {
        return new org.taskbert.spi.ModelShape(hiddenSize(), numHeads(), numLayers(), maxPositions(), vocabSize());
    }

    public int headSize() {
        return hiddenSize / numHeads;
    }

    public BertConfig withActivation(Activation act) {
        return new BertConfig(
                vocabSize,
                hiddenSize,
                numLayers,
                numHeads,
                intermediateSize,
                maxPositions,
                typeVocabSize,
                layerNormEps,
                act,
                hiddenDropout,
                attentionDropout);
    }

    /** BERT-Base's dropout and epsilon with the given sizes. */
    public static BertConfig of(
            int vocab, int hidden, int layers, int heads, int intermediate, int maxPositions, int typeVocab) {
        return new BertConfig(
                vocab, hidden, layers, heads, intermediate, maxPositions, typeVocab, 1e-12, Activation.GELU, 0.1, 0.1);
    }
}
