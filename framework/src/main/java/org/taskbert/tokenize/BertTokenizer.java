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
        return framed(text, maxLength, NONE, NONE);
    }

    /** PromptBERT's template around the text ({@link Pooling#PROMPT}); any other pooling: {@link #encode(String, int)}. */
    @Override
    public Encoding encode(String text, int maxLength, Pooling pooling) {
        if (pooling != Pooling.PROMPT) {
            return encode(text, maxLength);
        }
        int[][] template = promptTemplate();
        int frame = template[0].length + template[1].length + 2; // and [CLS], [SEP]
        if (maxLength < frame) {
            throw new IllegalArgumentException(
                    "maxLength must be at least " + frame + " to hold the prompt's template, got " + maxLength);
        }
        return framed(text, maxLength, template[0], template[1]);
    }

    /** [CLS] before pieces after [SEP], the text's pieces cut to fit maxLength; token types all 0. */
    private Encoding framed(String text, int maxLength, int[] before, int[] after) {
        List<String> pieces = tokenize(text);
        unknown.count(text, pieces);
        int keep = Math.min(pieces.size(), maxLength - before.length - after.length - 2);
        int[] ids = new int[keep + before.length + after.length + 2];
        ids[0] = vocab.clsId();
        System.arraycopy(before, 0, ids, 1, before.length);
        for (int i = 0; i < keep; i++) {
            ids[1 + before.length + i] = vocab.id(pieces.get(i));
        }
        System.arraycopy(after, 0, ids, 1 + before.length + keep, after.length);
        ids[ids.length - 1] = vocab.sepId();
        return new Encoding(ids, new int[ids.length], keep < pieces.size());
    }

    private static final int[] NONE = new int[0];

    /** PromptBERT's template for BERT: {@code This sentence : "[X]" means [MASK] .} */
    static final String PROMPT_BEFORE = "This sentence : \"";

    static final String PROMPT_AFTER = "\" means";

    /** The template's ids before and after the text ([MASK] and '.' last), tokenized once, on first use. */
    private volatile int[][] promptTemplate;

    private int[][] promptTemplate() {
        if (promptTemplate == null) {
            if (vocab.maskId() < 0 || vocab.id(".") < 0) {
                throw new IllegalStateException("pooling 'prompt' needs the tokens [MASK] and '.'; this vocabulary "
                        + "lacks " + (vocab.maskId() < 0 ? "[MASK]" : "'.'"));
            }
            List<String> after = tokenize(PROMPT_AFTER);
            int[] afterIds = new int[after.size() + 2];
            for (int i = 0; i < after.size(); i++) {
                afterIds[i] = vocab.id(after.get(i));
            }
            afterIds[after.size()] = vocab.maskId();
            afterIds[after.size() + 1] = vocab.id(".");
            promptTemplate = new int[][] {
                tokenize(PROMPT_BEFORE).stream().mapToInt(vocab::id).toArray(), afterIds
            };
        }
        return promptTemplate;
    }

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
