package org.taskbert.spi;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The generic ways to turn BERT's token states into one sentence vector. */
public enum Pooling {
    /** The last layer's state at [CLS]. */
    CLS("cls"),
    /** tanh(W·cls + b): BERT's {@code pooled_output}, trained only through next-sentence prediction. */
    POOLER("pooler"),
    /**
     * W·cls + b: {@code pooled_output} before its tanh. Not in {@code all} (the five poolings every report compares):
     * a training target for the pooler without tanh's saturation.
     */
    POOLER_LINEAR("pooler_linear"),
    /** Mean of the last layer over all real tokens, [CLS] and [SEP] included. */
    MEAN("mean"),
    /** Per-dimension maximum of the last layer over all real tokens. */
    MAX("max"),
    /** Mean over real tokens of (transformer layer 1 output + last layer output) / 2. */
    FIRST_LAST_AVG("first_last_avg"),
    /**
     * PromptBERT's representation (Jiang et al., 2022): the last layer's state at the [MASK] of the template {@code
     * This sentence : "[X]" means [MASK] .}, into which {@link Tokenizer#encode(String, int, Pooling)} puts each text.
     * The encoder reads the token third from each sequence's end ({@code [MASK] . [SEP]}). Not in {@code all}: its
     * inputs differ from the other poolings'.
     */
    PROMPT("prompt");

    private final String id;

    Pooling(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }

    /** A config's {@code pooling: mean}; Jackson reads the field through this, so a wrong name lists the valid ones. */
    @JsonCreator
    public static Pooling parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Pooling p : values()) {
            if (p.id.equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown pooling '" + name + "'; valid: " + names() + ", or 'all'");
    }

    /** {@code all}: the generic poolings of raw BERT that every report compares. */
    public static Set<Pooling> all() {
        return EnumSet.complementOf(EnumSet.of(POOLER_LINEAR, PROMPT));
    }

    /** Whether this pooling reads BERT's pooler weights. */
    public boolean needsPooler() {
        return this == POOLER || this == POOLER_LINEAR;
    }

    /** Parses {@code cls,mean} or {@code all}, keeping the order given. */
    public static Set<Pooling> parseList(String spec) {
        if (spec.trim().equalsIgnoreCase("all")) {
            return all();
        }
        Set<Pooling> out = new java.util.LinkedHashSet<>();
        for (String part : spec.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no pooling given; valid: " + names() + ", or 'all'");
        }
        return out;
    }

    public static String names() {
        return Arrays.stream(values()).map(Pooling::id).collect(Collectors.joining(", "));
    }
}
