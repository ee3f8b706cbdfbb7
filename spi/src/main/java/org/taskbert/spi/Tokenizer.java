package org.taskbert.spi;

/** The model's WordPiece tokenizer: text in, [CLS] ... [SEP] ids out, cut to a maximum length. */
public interface Tokenizer {

    /** [CLS] text [SEP], segment 0. */
    Encoding encode(String text, int maxLength);

    /** [CLS] a [SEP] b [SEP], segments 0 then 1, as BERT's pre-training saw pairs. */
    Encoding encodePair(String a, String b, int maxLength);
}
