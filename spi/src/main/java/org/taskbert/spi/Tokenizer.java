package org.taskbert.spi;

/** The model's WordPiece tokenizer: text in, [CLS] ... [SEP] ids out, cut to a maximum length. */
public interface Tokenizer {

    /** [CLS] text [SEP], segment 0. */
    Encoding encode(String text, int maxLength);

    /**
     * The input a pooling reads: {@code text} as {@link #encode(String, int)} gives it, or for {@link Pooling#PROMPT}
     * inside PromptBERT's template, {@code [CLS] this sentence : " text " means [MASK] . [SEP]}, the text cut so that
     * the whole fits {@code maxLength}.
     */
    Encoding encode(String text, int maxLength, Pooling pooling);

    /** [CLS] a [SEP] b [SEP], segments 0 then 1, as BERT's pre-training saw pairs. */
    Encoding encodePair(String a, String b, int maxLength);
}
