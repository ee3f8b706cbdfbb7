package org.taskbert.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * BERT's architecture, in the field names of a Hugging Face {@code config.json} so that the same
 * record reads and writes that file. Unknown keys of a real config.json are ignored on purpose:
 * they describe other architectures' options.
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

    public BertConfig {
        if (hiddenSize <= 0 || numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads " + numHeads);
        }
        if (numLayers <= 0 || intermediateSize <= 0 || vocabSize <= 0 || maxPositions <= 0 || typeVocabSize <= 0) {
            throw new IllegalArgumentException("BERT config has a non-positive size: "
                    + sizes(vocabSize, numLayers, intermediateSize, maxPositions, typeVocabSize));
        }
        if (layerNormEps <= 0) {
            layerNormEps = 1e-12;
        }
        if (hiddenAct == null) {
            hiddenAct = Activation.GELU;
        }
    }

    private static String sizes(int v, int l, int i, int p, int t) {
        return "vocab_size=" + v + ", num_hidden_layers=" + l + ", intermediate_size=" + i
                + ", max_position_embeddings=" + p + ", type_vocab_size=" + t;
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
