package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void japanese() {
        assertEquals(
                List.of("今日は晴れです。", "明日は雨でしょう。"), new SentenceSplitter(ULocale.JAPANESE).split("今日は晴れです。明日は雨でしょう。"));
    }

    @Test
    void trimsAndDropsEmptyAndStrayPunctuation() {
        SentenceSplitter splitter = new SentenceSplitter();
        assertEquals(List.of(), splitter.split("  \n "));
        assertEquals(List.of("It rose.", "Then it fell."), splitter.split("It rose.\n.\n\"\nThen it fell."));
        assertEquals(List.of("Is it?", "Yes!", "Fine"), splitter.split("  Is it?   Yes!\u3000 Fine  "));
    }
}
