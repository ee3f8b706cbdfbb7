package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.util.ULocale;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {
    @Test
    void englishKeepsTitlesWithTheName() {
        assertEquals(
                List.of("Mr. Smith went to Washington.", "He arrived."),
                new SentenceSplitter().split("Mr. Smith went to Washington. He arrived."));
        assertEquals(
                List.of("Dr. Jones met Mrs. Brown in the U.S. yesterday.", "They talked."),
                new SentenceSplitter().split("Dr. Jones met Mrs. Brown in the U.S. yesterday. They talked."));
    }

    @Test
    void withoutSuppressionIcuBreaksAfterMr() {
        assertEquals(
                List.of("Mr.", "Smith went to Washington.", "He arrived."),
                new SentenceSplitter(ULocale.ENGLISH, false).split("Mr. Smith went to Washington. He arrived."));
    }

    private final SentenceSplitter ja = new SentenceSplitter(ULocale.JAPANESE);

    @Test
    void japanese() {
        assertEquals(List.of("今日は晴れです。", "明日は雨でしょう。"), ja.split("今日は晴れです。明日は雨でしょう。"));
        assertEquals(List.of("本当ですか！？", "はい。", "そうです"), ja.split("本当ですか！？はい。そうです"));
        assertEquals(List.of("これは１．５倍です。", "次。"), ja.split("これは１．５倍です。次。"));
    }

    /** ICU alone gives 彼は「こんにちは。 | 元気ですか？」 | と言った。 */
    @Test
    void japaneseQuotationsStayInTheirSentence() {
        assertEquals(List.of("彼は「こんにちは。元気ですか？」と言った。", "次の文です。"), ja.split("彼は「こんにちは。元気ですか？」と言った。次の文です。"));
        assertEquals(List.of("『吾輩は猫である。名前はまだ無い。』は小説だ。"), ja.split("『吾輩は猫である。名前はまだ無い。』は小説だ。"));
        assertEquals(List.of("東京（とうきょう。首都）は大きい。"), ja.split("東京（とうきょう。首都）は大きい。"));
        // After a closed quotation a new sentence may begin, also with a word that starts like a particle.
        assertEquals(List.of("「行こう。」", "彼女は言った。"), ja.split("「行こう。」彼女は言った。"));
        assertEquals(List.of("「行こう。」", "ところが誰も来なかった。"), ja.split("「行こう。」ところが誰も来なかった。"));
        // A title ending in '!' goes on with its particle (ICU breaks after the '!').
        assertEquals(List.of("番組『熱ラジ!』が放送された。"), ja.split("番組『熱ラジ!』が放送された。"));
        // So does a name ending in '!' or '.', but not a sentence ended by 。
        assertEquals(List.of("2016年、Yahoo!は計画を発表した。"), ja.split("2016年、Yahoo!は計画を発表した。"));
        assertEquals(List.of("Google Inc. は所有している。"), ja.split("Google Inc. は所有している。"));
        assertEquals(List.of("支配下にあった。", "が、王族は対抗した。"), ja.split("支配下にあった。が、王族は対抗した。"));
    }

    /** ICU counts an opening bracket as closing punctuation: 彼は言った。「 | はい」 */
    @Test
    void japaneseOpeningBracketStartsTheNextSentence() {
        assertEquals(List.of("彼は言った。", "「はい」"), ja.split("彼は言った。「はい」"));
        assertEquals(List.of("発見した。", "「地下生物圏」の発見である。", "（注）"), ja.split("発見した。「地下生物圏」の発見である。（注）"));
    }

    /** A bracket that never closes does not swallow the rest of the paragraph. */
    @Test
    void japaneseUnclosedBracketIsIgnored() {
        assertEquals(List.of("「始まり。", "次の文。", "最後の文。"), ja.split("「始まり。次の文。最後の文。"));
        assertEquals(List.of("終わり」。", "次の文。"), ja.split("終わり」。次の文。"));
        // mismatched kinds: the 『 inside never closes, the 「」 pair still holds
        assertEquals(List.of("「あ『い。う」と言った。", "次。"), ja.split("「あ『い。う」と言った。次。"));
    }

    @Test
    void trimsAndDropsEmptyAndStrayPunctuation() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertEquals(List.of(), splitter.split("  \n "));
        assertEquals(List.of("It rose.", "Then it fell."), splitter.split("It rose.\n.\n\"\nThen it fell."));
        assertEquals(List.of("Is it?", "Yes!", "Fine"), splitter.split("  Is it?   Yes!\u3000 Fine  "));
    }

    @Test
    void wordsAreWhitespaceRunsOrDictionaryWordsForJapanese() {
        SentenceSplitter en = new SentenceSplitter();
        assertEquals(4, en.words("  The cat sat down. "));
        assertEquals(0, en.words("   "));
        SentenceSplitter ja = new SentenceSplitter(ULocale.JAPANESE);
        // one run between spaces, but ICU's dictionary finds 猫 が 座っ た (the 。 is not a word)
        assertEquals(1, en.words("猫が座った。"));
        int words = ja.words("猫が座った。");
        assertTrue(words >= 3 && words <= 5, "words: " + words);
        assertEquals(0, ja.words("「」。"));
        // a heading of one noun stays under min_words 4, a sentence does not
        assertTrue(ja.words("歴史") < 4);
        assertTrue(ja.words("梅雨は東アジアの広範囲においてみられる特有の気象現象である。") >= 4);
    }
}
