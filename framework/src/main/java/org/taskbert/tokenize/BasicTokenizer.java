package org.taskbert.tokenize;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BERT's BasicTokenizer: cleans the text, isolates CJK ideographs, splits on whitespace, optionally
 * lower-cases and strips accents, then splits off each punctuation character as its own token.
 */
public final class BasicTokenizer {

    private static final char CAPITAL_SIGMA = 'Σ';

    private final boolean doLowerCase;

    public BasicTokenizer(boolean doLowerCase) {
        this.doLowerCase = doLowerCase;
    }

    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        for (String token : splitOnWhitespace(cleanAndIsolateCjk(text))) {
            if (doLowerCase) {
                token = stripAccents(lowerCase(token));
            }
            splitOnPunctuation(token, out);
        }
        return out;
    }

    /** _clean_text then _tokenize_chinese_chars: drops NUL, U+FFFD and controls, maps whitespace to ' ', spaces out CJK. */
    private static String cleanAndIsolateCjk(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0 || cp == 0xFFFD || Chars.isControl(cp)) {
                continue;
            }
            if (Chars.isWhitespace(cp)) {
                sb.append(' ');
            } else if (Chars.isCjk(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    /** Python's str.split(): the maximal runs of non-whitespace. */
    private static List<String> splitOnWhitespace(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (Chars.isPythonSpace(cp)) {
                if (start >= 0) {
                    out.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }

    /**
     * Python's str.lower(). Java's toLowerCase(Locale.ROOT) agrees except on when a capital sigma
     * is word-final (ς rather than σ): Java decides by word boundaries, Python by the Unicode
     * Final_Sigma rule, which this follows for each Σ.
     */
    private static String lowerCase(String token) {
        if (token.indexOf(CAPITAL_SIGMA) < 0) {
            return token.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            if (cp == CAPITAL_SIGMA) {
                sb.append(isFinalSigma(token, i) ? 'ς' : 'σ');
            } else {
                sb.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** Final_Sigma: a cased letter before (skipping case-ignorables), and none after. */
    private static boolean isFinalSigma(String s, int at) {
        int before = at;
        int cp = 0;
        while (before > 0) {
            cp = s.codePointBefore(before);
            before -= Character.charCount(cp);
            if (!Chars.isCaseIgnorable(cp)) {
                if (!Chars.isCased(cp)) {
                    return false;
                }
                for (int after = at + 1; after < s.length(); ) {
                    cp = s.codePointAt(after);
                    if (!Chars.isCaseIgnorable(cp)) {
                        return !Chars.isCased(cp);
                    }
                    after += Character.charCount(cp);
                }
                return true;
            }
        }
        return false;
    }

    /** _run_strip_accents: NFD, then drop the non-spacing marks (category Mn). */
    private static String stripAccents(String token) {
        String nfd = Normalizer.normalize(token, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(cp);
            }
        }
        return sb.toString();
    }

    /**
     * _run_split_on_punc followed by the final whitespace split: each punctuation character becomes
     * a token, the runs between them are tokens, and empty runs vanish.
     */
    private static void splitOnPunctuation(String token, List<String> out) {
        int start = 0;
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            int next = i + Character.charCount(cp);
            boolean punctuation = Chars.isPunctuation(cp);
            if (punctuation || Chars.isPythonSpace(cp)) {
                if (i > start) {
                    out.add(token.substring(start, i));
                }
                if (punctuation) {
                    out.add(token.substring(i, next));
                }
                start = next;
            }
            i = next;
        }
        if (token.length() > start) {
            out.add(token.substring(start));
        }
    }
}
