package org.taskbert.spi.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Where ICU's sentence rules, which know no Japanese quoting, break Japanese text apart. ICU (UAX #29) ends a
 * sentence at 。！？ wherever they stand, and counts an opening bracket as closing punctuation. Three corrections,
 * each seen in Japanese Wikipedia:
 *
 * <ul>
 *   <li>An opening bracket after 。 starts the next sentence: ICU gives {@code 〜した。「} and {@code 地下生物圏」の…}.
 *   <li>No break inside a bracket pair that closes in the same text ({@code 「…ですか。…ください。」と質問した。} is one
 *       sentence); a bracket that never closes is ignored, so it cannot swallow the rest of the paragraph.
 *   <li>No break after a closing bracket, or after a mark other than 。 ({@code Yahoo!}, {@code Inc.}, ！), when the
 *       text goes on with a particle ({@code 「…呼ぶな！」とアルマに言い…}, {@code 『熱ラジ!』が…}, {@code Yahoo!は…}):
 *       と, が, を, は, の, に, へ, で, も, や, など, から, まで, より, って cannot start a sentence, unless they begin a
 *       word that can (ところが, では, でも, もし, やがて, …). After 。 the writer ended the sentence: a break there
 *       stays (a sentence may begin with が、).
 * </ul>
 */
final class JapaneseSentenceBreaks {

    private static final String OPENING = "「『（(［[【〔〈《｛{";
    private static final String CLOSING = "」』）)］]】〕〉》｝}";

    /** Particles that continue a sentence after a quotation or title. */
    private static final List<String> PARTICLES =
            List.of("って", "など", "から", "まで", "より", "と", "が", "を", "は", "の", "に", "へ", "で", "も", "や");

    /** Words a sentence can begin with that start like a particle. */
    private static final List<String> SENTENCE_INITIAL = List.of(
            "ところ", "とにかく", "とりわけ", "とくに", "ともかく", "とはいえ", "とはいうものの", "では", "でも", "でしたら", "もし", "もちろん", "もっとも", "もっと",
            "もう", "やがて", "やはり", "やっと", "やや", "のち", "はじめに", "はい");

    private JapaneseSentenceBreaks() {}

    /** The boundaries (0 first, the text's length last, increasing) with the breaks described above removed. */
    static List<Integer> refine(String text, List<Integer> boundaries) {
        int[] depth = matchedDepth(text);
        List<Integer> out = new ArrayList<>();
        out.add(0);
        for (int i = 1; i < boundaries.size() - 1; i++) {
            int b = boundaries.get(i);
            // back over whitespace and opening brackets: they belong to the next sentence
            int moved = b;
            while (moved > out.get(out.size() - 1)
                    && (Character.isWhitespace(text.charAt(moved - 1))
                            || OPENING.indexOf(text.charAt(moved - 1)) >= 0)) {
                moved--;
            }
            if (moved == out.get(out.size() - 1) || depth[moved] > 0 || continuesWithParticle(text, moved)) {
                continue;
            }
            out.add(moved);
        }
        out.add(text.length());
        return out;
    }

    /**
     * For each position, how many bracket pairs that close later in the text are open there. Brackets match by
     * kind on a stack; an unmatched one counts for nothing.
     */
    private static int[] matchedDepth(String text) {
        int[] closeOf = new int[text.length()];
        java.util.Arrays.fill(closeOf, -1);
        Deque<Integer> open = new ArrayDeque<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (OPENING.indexOf(c) >= 0) {
                open.push(i);
            } else if (CLOSING.indexOf(c) >= 0) {
                // pop to the nearest opener of the same kind; openers above it were never closed
                for (Integer o : open) {
                    if (OPENING.indexOf(text.charAt(o)) == CLOSING.indexOf(c)) {
                        while (open.peek() != o.intValue()) {
                            open.pop();
                        }
                        closeOf[open.pop()] = i;
                        break;
                    }
                }
            }
        }
        int[] delta = new int[text.length() + 2];
        for (int i = 0; i < text.length(); i++) {
            if (closeOf[i] >= 0) {
                delta[i + 1]++; // open after the opener ...
                delta[closeOf[i] + 1]--; // ... up to and including the closer
            }
        }
        int[] depth = new int[text.length() + 1];
        for (int i = 0, d = 0; i <= text.length(); i++) {
            d += delta[i];
            depth[i] = d;
        }
        return depth;
    }

    private static boolean continuesWithParticle(String text, int at) {
        char before = text.charAt(at - 1);
        if (CLOSING.indexOf(before) < 0 && "!?！？.．".indexOf(before) < 0) {
            return false;
        }
        String rest = text.substring(at, Math.min(text.length(), at + 16)).strip();
        return PARTICLES.stream().anyMatch(rest::startsWith)
                && SENTENCE_INITIAL.stream().noneMatch(rest::startsWith);
    }
}
