package org.taskbert.tokenize;

import java.util.ArrayList;
import java.util.List;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * BERT's FullTokenizer (basic tokenization, then WordPiece) plus the [CLS]/[SEP] framing and
 * truncation of BERT's run_classifier.py. Special-token strings in the text are ordinary text.
 */
public final class BertTokenizer implements org.taskbert.spi.Tokenizer {

    public static final int DEFAULT_MAX_LENGTH = 512;

    private final Vocab vocab;
    private final BasicTokenizer basic;
    private final WordPieceTokenizer wordPiece;
    private final UnknownPieces unknown = new UnknownPieces();

    public BertTokenizer(Vocab vocab, boolean doLowerCase) {
        this.vocab = vocab;
        this.basic = new BasicTokenizer(doLowerCase);
        this.wordPiece = new WordPieceTokenizer(vocab);
    }

    public Vocab vocab() {
        return vocab;
    }

    /** The texts this tokenizer encoded that were more than half [UNK] (each side of a pair is a text). */
    public UnknownPieces unknownPieces() {
        return unknown;
    }

    /** The word pieces of {@code text}, without special tokens. */
    public List<String> tokenize(String text) {
        List<String> pieces = new ArrayList<>();
        for (String word : basic.tokenize(text)) {
            wordPiece.addPieces(word, pieces);
        }
        return pieces;
    }

    public Encoding encode(String text) {
        return encode(text, DEFAULT_MAX_LENGTH);
    }

    /** [CLS] pieces [SEP], keeping only the first maxLength - 2 pieces; token types all 0. */
    @Override
    public Encoding encode(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException(
                    "maxLength must be at least 2 to hold [CLS] and [SEP], got " + maxLength);
        }
        List<String> pieces = tokenize(text);
        unknown.count(text, pieces);
        int keep = Math.min(pieces.size(), maxLength - 2);
        int[] ids = new int[keep + 2];
        ids[0] = vocab.clsId();
        for (int i = 0; i < keep; i++) {
            ids[i + 1] = vocab.id(pieces.get(i));
        }
        ids[keep + 1] = vocab.sepId();
        return new Encoding(ids, new int[ids.length], keep < pieces.size());
    }

    /** PromptBERT's template around the text ({@link Pooling#PROMPT}); any other pooling: {@link #encode(String, int)}. */
    @Override
    public Encoding encode(String text, int maxLength, Pooling pooling) {
        if (pooling != Pooling.PROMPT) {
            return encode(text, maxLength);
        }
        if (vocab.maskId() < 0 || vocab.id(".") < 0) {
            throw new IllegalStateException("pooling 'prompt' needs the tokens [MASK] and '.'; this vocabulary lacks "
                    + (vocab.maskId() < 0 ? "[MASK]" : "'.'"));
        }
        List<String> before = tokenize(PROMPT_BEFORE);
        List<String> after = tokenize(PROMPT_AFTER);
        int frame = before.size() + after.size() + 4; // [CLS], [MASK], '.', [SEP]
        if (maxLength < frame) {
            throw new IllegalArgumentException(
                    "maxLength must be at least " + frame + " to hold the prompt's template, got " + maxLength);
        }
        List<String> pieces = tokenize(text);
        unknown.count(text, pieces);
        int keep = Math.min(pieces.size(), maxLength - frame);
        int[] ids = new int[keep + frame];
        int i = 0;
        ids[i++] = vocab.clsId();
        for (String p : before) {
            ids[i++] = vocab.id(p);
        }
        for (String p : pieces.subList(0, keep)) {
            ids[i++] = vocab.id(p);
        }
        for (String p : after) {
            ids[i++] = vocab.id(p);
        }
        ids[i++] = vocab.maskId();
        ids[i++] = vocab.id(".");
        ids[i] = vocab.sepId();
        return new Encoding(ids, new int[ids.length], keep < pieces.size());
    }

    /** PromptBERT's template for BERT: {@code This sentence : "[X]" means [MASK] .} */
    static final String PROMPT_BEFORE = "This sentence : \"";

    static final String PROMPT_AFTER = "\" means";

    public Encoding encodePair(String a, String b) {
        return encodePair(a, b, DEFAULT_MAX_LENGTH);
    }

    /**
     * [CLS] A [SEP] B [SEP] with token types 0 up to the first [SEP] and 1 after it. To fit, the
     * last piece of the longer side (of B on a tie) is dropped until the total fits, as BERT's
     * _truncate_seq_pair does.
     */
    @Override
    public Encoding encodePair(String a, String b, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException(
                    "maxLength must be at least 3 to hold [CLS] and two [SEP] of a pair, got " + maxLength);
        }
        List<String> piecesA = tokenize(a);
        List<String> piecesB = tokenize(b);
        unknown.count(a, piecesA);
        unknown.count(b, piecesB);
        int keepA = piecesA.size();
        int keepB = piecesB.size();
        while (keepA + keepB > maxLength - 3) {
            if (keepA > keepB) {
                keepA--;
            } else {
                keepB--;
            }
        }
        int[] ids = new int[keepA + keepB + 3];
        int[] types = new int[ids.length];
        int p = 0;
        ids[p++] = vocab.clsId();
        for (int i = 0; i < keepA; i++) {
            ids[p++] = vocab.id(piecesA.get(i));
        }
        ids[p++] = vocab.sepId();
        for (int i = 0; i < keepB; i++) {
            types[p] = 1;
            ids[p++] = vocab.id(piecesB.get(i));
        }
        types[p] = 1;
        ids[p] = vocab.sepId();
        boolean truncated = keepA < piecesA.size() || keepB < piecesB.size();
        return new Encoding(ids, types, truncated);
    }
}
