package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordPieceTokenizerTest {

    private static final Vocab VOCAB = Vocab.of(List.of(
            "[PAD]",
            "[UNK]",
            "[CLS]",
            "[SEP]",
            "[MASK]",
            "un",
            "##aff",
            "##able",
            "##affable",
            "a",
            "##a",
            "🙂",
            "##🙂",
            "runn",
            "##ing",
            "run"));

    private final WordPieceTokenizer wordPiece = new WordPieceTokenizer(VOCAB);

    @Test
    void greedyLongestMatchWithContinuations() {
        assertEquals(List.of("un", "##affable"), wordPiece.tokenize("unaffable"));
        assertEquals(List.of("runn", "##ing", "run"), wordPiece.tokenize("running run"));
    }

    @Test
    void wordWithoutCompleteDecompositionIsOneUnk() {
        assertEquals(List.of("[UNK]", "run"), wordPiece.tokenize("unaffablex run"));
    }

    @Test
    void unknownEmojiIsOneUnk() {
        WordPieceTokenizer small = new WordPieceTokenizer(Vocab.of(List.of("[CLS]", "[SEP]", "[UNK]")));
        assertEquals(List.of("[UNK]"), small.tokenize("😀"));
    }

    @Test
    void overLongWordIsUnkCountingCodePoints() {
        List<String> longest = wordPiece.tokenize("a".repeat(200));
        assertEquals(200, longest.size());
        assertEquals("a", longest.get(0));
        assertEquals("##a", longest.get(99));
        assertEquals(List.of("[UNK]"), wordPiece.tokenize("a".repeat(201)));
        // 200 emoji are 400 Java chars but 200 code points: still within the limit.
        assertEquals(
                Collections.nCopies(199, "##🙂"),
                wordPiece.tokenize("🙂".repeat(200)).subList(1, 200));
        assertEquals(List.of("[UNK]"), wordPiece.tokenize("🙂".repeat(201)));
    }
}
