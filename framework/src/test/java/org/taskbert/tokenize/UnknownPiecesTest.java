package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.taskbert.model.TinyModels;

/** Japanese through a vocabulary without a single kana or kanji: the tokenizer counts, and says so once. */
class UnknownPiecesTest {

    private final BertTokenizer tiny = new BertTokenizer(Vocab.of(TinyModels.vocab()), true);

    @Test
    void countsTextsThatAreMoreThanHalfUnknown() {
        tiny.encode("今日は晴れです。");
        tiny.encode("the man is playing guitar .");
        tiny.encodePair("犬が走る。", "the dog runs");
        tiny.encode("the 猫"); // half [UNK] ("the", "猫"): not more than half
        tiny.encode(""); // no pieces: not a text that says anything
        UnknownPieces u = tiny.unknownPieces();
        assertEquals(5, u.texts());
        assertEquals(2, u.mostlyUnknown());
        assertEquals(
                Optional.of("2 of 5 texts were more than half [UNK]: is the model right for this language?"
                        + " (the first: \"今日は晴れです。\")"),
                u.report());
    }

    @Test
    void saysNothingWhenTheVocabularyFits() {
        tiny.encode("the cat sleeps .");
        tiny.encodePair("a dog", "a woman");
        assertEquals(3, tiny.unknownPieces().texts());
        assertEquals(Optional.empty(), tiny.unknownPieces().report());
    }

    @Test
    void aLongFirstTextIsCutInTheReport() {
        tiny.encode("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。");
        String line = tiny.unknownPieces().report().orElseThrow();
        assertTrue(line.startsWith("1 of 1 texts were more than half [UNK]"), line);
        assertTrue(line.endsWith("何でも薄暗いじ…\")"), line);
    }
}
