package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BasicTokenizerTest {

    private final BasicTokenizer uncased = new BasicTokenizer(true);
    private final BasicTokenizer cased = new BasicTokenizer(false);

    @Test
    void lowerCasesAndStripsAccents() {
        assertEquals(List.of("hello", "zurich", "naive"), uncased.tokenize("Héllo ZÜRICH naïve"));
        // Already decomposed input: the combining acute accent goes too.
        assertEquals(List.of("cafe"), uncased.tokenize("Cafe\u0301"));
    }

    @Test
    void lowerCasesSigmaAsPythonDoes() {
        assertEquals(List.of("οδυσσευς"), uncased.tokenize("ΟΔΥΣΣΕΥΣ"));
        // Not word-final for Python: a cased letter follows, past the case-ignorable '.'.
        assertEquals(List.of("σασ", ".", "ⅻ"), uncased.tokenize("ΣΑΣ.Ⅻ"));
    }

    @Test
    void casedKeepsCaseAndAccents() {
        assertEquals(List.of("Héllo", "ZÜRICH", ",", "ok"), cased.tokenize("Héllo ZÜRICH, ok"));
    }

    @Test
    void splitsOffEachPunctuationCharacter() {
        assertEquals(List.of("hi", ",", "there", "!"), uncased.tokenize("hi,there!"));
        assertEquals(List.of("a", "$", "^", "`", "b", "—", "c", ".", ".", "."), uncased.tokenize("a$^`b—c..."));
        assertEquals(List.of("don", "'", "t"), uncased.tokenize("don't"));
    }

    @Test
    void specialTokenStringsAreOrdinaryText() {
        assertEquals(List.of("[", "cls", "]", "hi", "[", "sep", "]"), uncased.tokenize("[CLS] hi [SEP]"));
    }

    @Test
    void cjkIdeographsStandAlone() {
        assertEquals(List.of("我", "爱", "abc", "中", "国"), uncased.tokenize("我爱abc中国"));
        // A supplementary ideograph (CJK Extension B) is one token too, not two halves.
        assertEquals(List.of("x", "\uD840\uDC00", "y"), uncased.tokenize("x\uD840\uDC00y"));
        // Hiragana and katakana are not CJK ideographs: they stay in runs.
        assertEquals(List.of("の", "文", "章", "をへ"), uncased.tokenize("の文章をへ"));
    }

    @Test
    void removesControlCharactersAndNormalisesWhitespace() {
        assertEquals(List.of("hellox"), uncased.tokenize("he\u0000l\u0007l\uFFFDo\u200Bx"));
        assertEquals(List.of("a", "b", "c", "d", "e"), uncased.tokenize("\ta\u00A0b\r\nc\u3000d\u2028e "));
    }

    @Test
    void emojiIsOneToken() {
        assertEquals(List.of("a", "🙂", "b"), uncased.tokenize("a 🙂 b"));
        assertEquals(List.of("a🙂b"), uncased.tokenize("a🙂b"));
    }

    @Test
    void emptyAndWhitespaceOnlyGiveNoTokens() {
        assertEquals(List.of(), uncased.tokenize(""));
        assertEquals(List.of(), uncased.tokenize(" \t\n  "));
        // A lone combining mark vanishes once accents are stripped.
        assertEquals(List.of("a", "b"), uncased.tokenize("a \u0301 b"));
    }
}
