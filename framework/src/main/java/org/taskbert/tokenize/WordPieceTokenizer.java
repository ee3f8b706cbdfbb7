package org.taskbert.tokenize;

import java.util.ArrayList;
import java.util.List;

/**
 * BERT's WordpieceTokenizer: greedy longest-match-first over a vocabulary, with "##" marking a
 * piece that continues a word. A word with no complete decomposition, or longer than
 * {@code maxInputCharsPerWord} code points, becomes the unknown token.
 */
public final class WordPieceTokenizer {

    private static final String CONTINUATION = "##";

    private final Vocab vocab;
    private final String unkToken;
    private final int maxInputCharsPerWord;

    public WordPieceTokenizer(Vocab vocab) {
        this(vocab, Vocab.UNK, 200); // tokenization.py's default
    }

    public WordPieceTokenizer(Vocab vocab, String unkToken, int maxInputCharsPerWord) {
        this.vocab = vocab;
        this.unkToken = unkToken;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    /** The pieces of each whitespace-separated word of {@code text} (normally BasicTokenizer output). */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Chars.isPythonSpace(cp)) {
                if (start >= 0) {
                    addPieces(text.substring(start, i), out);
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            addPieces(text.substring(start), out);
        }
        return out;
    }

    /** Appends the pieces of one word (no whitespace in it) to {@code out}. */
    void addPieces(String word, List<String> out) {
        int n = word.codePointCount(0, word.length());
        if (n > maxInputCharsPerWord) {
            out.add(unkToken);
            return;
        }
        int[] offset = new int[n + 1]; // char index of each code point, and the end
        for (int k = 0, i = 0; k < n; k++) {
            offset[k] = i;
            i += Character.charCount(word.codePointAt(i));
        }
        offset[n] = word.length();

        int firstPiece = out.size();
        int start = 0;
        while (start < n) {
            String piece = null;
            int end = n;
            for (; end > start; end--) {
                String candidate = word.substring(offset[start], offset[end]);
                if (start > 0) {
                    candidate = CONTINUATION + candidate;
                }
                if (vocab.contains(candidate)) {
                    piece = candidate;
                    break;
                }
            }
            if (piece == null) {
                out.subList(firstPiece, out.size()).clear();
                out.add(unkToken);
                return;
            }
            out.add(piece);
            start = end;
        }
    }
}
