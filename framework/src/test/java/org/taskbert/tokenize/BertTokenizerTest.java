package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

class BertTokenizerTest {

    // ids:                                 0        1        2        3        4         5        6      7    8
    private static final Vocab VOCAB = Vocab.of(List.of(
            "[PAD]",
            "[UNK]",
            "[CLS]",
            "[SEP]",
            "[MASK]",
            "hello",
            ",",
            "!",
            "hi",
            // 9       10     11    12     13   14    15   16    17     18    19
            "there",
            "[",
            "]",
            "cl",
            "##s",
            "a",
            "b",
            "c",
            "d",
            "é",
            "Héllo"));

    private static final int CLS = 2;
    private static final int SEP = 3;
    private static final int UNK = 1;

    private final BertTokenizer uncased = new BertTokenizer(VOCAB, true);

    @Test
    void encodeFramesPiecesWithClsAndSep() {
        Encoding e = uncased.encode("Héllo, there!");
        assertArrayEquals(new int[] {CLS, 5, 6, 9, 7, SEP}, e.inputIds());
        assertArrayEquals(new int[6], e.tokenTypeIds());
        assertFalse(e.truncated());
    }

    @Test
    void promptPoolingWrapsTheTextInPromptBertsTemplateAndCutsOnlyTheText() {
        // ids:                           0        1        2        3        4      5        6      7     8      9
        Vocab v = Vocab.of(List.of(
                "[PAD]",
                "[UNK]",
                "[CLS]",
                "[SEP]",
                "[MASK]",
                "this",
                "sentence",
                ":",
                "\"",
                "means",
                // 10  11       12
                ".",
                "hello",
                "there"));
        BertTokenizer t = new BertTokenizer(v, true);
        Encoding e = t.encode("Hello there", 64, Pooling.PROMPT);
        assertArrayEquals(new int[] {2, 5, 6, 7, 8, 11, 12, 8, 9, 4, 10, 3}, e.inputIds());
        assertFalse(e.truncated());
        Encoding cut = t.encode("Hello there", 11, Pooling.PROMPT);
        assertArrayEquals(new int[] {2, 5, 6, 7, 8, 11, 8, 9, 4, 10, 3}, cut.inputIds());
        assertTrue(cut.truncated());
        assertArrayEquals(
                t.encode("Hello there", 64).inputIds(),
                t.encode("Hello there", 64, Pooling.MEAN).inputIds());
        assertThrows(IllegalArgumentException.class, () -> t.encode("Hello", 9, Pooling.PROMPT));
        assertThrows(IllegalStateException.class, () -> uncased.encode("Hello", 64, Pooling.PROMPT)); // no "."
    }

    @Test
    void casedModeKeepsCaseAndAccents() {
        BertTokenizer cased = new BertTokenizer(VOCAB, false);
        assertEquals(List.of("Héllo", "[UNK]"), cased.tokenize("Héllo HELLO"));
        assertEquals(List.of("hello", "hello"), uncased.tokenize("Héllo HELLO"));
    }

    @Test
    void emojiBecomesExactlyOneUnk() {
        assertArrayEquals(
                new int[] {CLS, 8, UNK, 9, SEP}, uncased.encode("hi 🙂 there").inputIds());
    }

    @Test
    void specialTokenTextIsNotSpecial() {
        assertEquals(List.of("[", "cl", "##s", "]", "hi"), uncased.tokenize("[CLS]hi"));
    }

    @Test
    void emptyAndWhitespaceOnlyTextGiveClsSep() {
        assertArrayEquals(new int[] {CLS, SEP}, uncased.encode("").inputIds());
        assertArrayEquals(new int[] {CLS, SEP}, uncased.encode(" \t\n ").inputIds());
        assertFalse(uncased.encode("").truncated());
    }

    @Test
    void truncatesSingleTextToMaxLength() {
        Encoding fits = uncased.encode("a b c d", 6);
        assertArrayEquals(new int[] {CLS, 14, 15, 16, 17, SEP}, fits.inputIds());
        assertFalse(fits.truncated());

        Encoding cut = uncased.encode("a b c d", 4);
        assertArrayEquals(new int[] {CLS, 14, 15, SEP}, cut.inputIds());
        assertTrue(cut.truncated());

        assertArrayEquals(new int[] {CLS, SEP}, uncased.encode("a", 2).inputIds());
        assertTrue(uncased.encode("a", 2).truncated());
    }

    @Test
    void encodePairSetsTokenTypes() {
        Encoding e = uncased.encodePair("a b", "c");
        assertArrayEquals(new int[] {CLS, 14, 15, SEP, 16, SEP}, e.inputIds());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, e.tokenTypeIds());
        assertFalse(e.truncated());
    }

    @Test
    void encodePairTruncatesTheLongerSideFirst() {
        // 4 + 1 pieces, room for 3: A loses two from its end.
        Encoding e = uncased.encodePair("a b c d", "hi", 6);
        assertArrayEquals(new int[] {CLS, 14, 15, SEP, 8, SEP}, e.inputIds());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1}, e.tokenTypeIds());
        assertTrue(e.truncated());

        // 3 + 3 pieces, room for 4: on a tie B loses first, then A.
        Encoding tie = uncased.encodePair("a b c", "d a b", 7);
        assertArrayEquals(new int[] {CLS, 14, 15, SEP, 17, 14, SEP}, tie.inputIds());
        assertTrue(tie.truncated());
    }

    @Test
    void tooSmallMaxLengthIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> uncased.encode("a", 1));
        assertThrows(IllegalArgumentException.class, () -> uncased.encodePair("a", "b", 2));
        assertArrayEquals(
                new int[] {CLS, SEP, SEP}, uncased.encodePair("a", "b", 3).inputIds());
    }
}
