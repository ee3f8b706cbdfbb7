package org.taskbert.spi.data;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.FilteredBreakIteratorBuilder;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Splits text into sentences with ICU's locale-aware sentence rules; sentences are trimmed, and those without a letter
 * or digit (empty, or stray punctuation such as a lone "." in the source) are dropped. Thread-safe. With abbreviation suppression (the default), ICU's per-locale list of abbreviations such as "Mr." and
 * "U.S." (plus a few English titles it lacks, e.g. "Dr.") do not end a sentence. Japanese ({@code ja}) text is
 * split by ICU's rules and then by what they miss of Japanese quoting: no break inside 「」, 『』 or （）, none before
 * a particle after a closing bracket, and an opening bracket after 。 starts the next sentence
 * ({@link JapaneseSentenceBreaks}).
 */
public final class SentenceSplitter {
    /** English titles missing from ICU's suppression list that are almost never sentence-final. */
    private static final Set<String> EXTRA_ENGLISH = Set.of("Dr.", "Gen.", "Gov.", "Sen.", "Supt.", "Insp.");

    private final ULocale locale;
    private final BreakIterator prototype;
    private final boolean japanese;
    /** ICU's dictionary-based word rules, for languages written without spaces between words; else null. */
    private final BreakIterator wordPrototype;

    /** Languages written without spaces between words, whose words only a dictionary finds. */
    private static final Set<String> UNSPACED = Set.of("ja", "zh", "th", "lo", "km", "my");

    /** English, with abbreviation suppression. */
    public SentenceSplitter() {
        this(ULocale.ENGLISH, true);
    }

    /** The given locale (e.g. {@code ULocale.JAPANESE}), with abbreviation suppression where ICU has data for it. */
    public SentenceSplitter(ULocale locale) {
        this(locale, true);
    }

    public SentenceSplitter(ULocale locale, boolean suppressAbbreviations) {
        this.locale = locale;
        BreakIterator rules = BreakIterator.getSentenceInstance(locale);
        if (suppressAbbreviations) {
            FilteredBreakIteratorBuilder builder = FilteredBreakIteratorBuilder.getInstance(locale);
            if (locale.getLanguage().equals("en")) {
                EXTRA_ENGLISH.forEach(builder::suppressBreakAfter);
            }
            rules = builder.wrapIteratorWithFilter(rules);
        }
        this.prototype = rules;
        this.japanese = locale.getLanguage().equals("ja");
        this.wordPrototype = UNSPACED.contains(locale.getLanguage()) ? BreakIterator.getWordInstance(locale) : null;
    }

    /**
     * How many words {@code sentence} has: runs between whitespace, or, for a language written without spaces
     * (Japanese, Chinese, Thai, Lao, Khmer, Burmese), the words ICU's dictionary finds (punctuation not counted).
     * Tasks use it to leave out headings and list debris ({@code min_words}).
     */
    public int words(String sentence) {
        if (wordPrototype == null) {
            return sentence.isBlank() ? 0 : sentence.trim().split("\\s+").length;
        }
        BreakIterator it = (BreakIterator) wordPrototype.clone();
        it.setText(sentence);
        int n = 0;
        it.first();
        for (int end = it.next(); end != BreakIterator.DONE; end = it.next()) {
            if (it.getRuleStatus() != BreakIterator.WORD_NONE) {
                n++;
            }
        }
        return n;
    }

    public ULocale locale() {
        return locale;
    }

    /** The sentences of {@code text}, trimmed, without those lacking a letter or digit. */
    public List<String> split(String text) {
        BreakIterator it = (BreakIterator) prototype.clone(); // iterators are stateful; the clone shares the rules
        it.setText(text);
        List<Integer> boundaries = new ArrayList<>();
        for (int b = it.first(); b != BreakIterator.DONE; b = it.next()) {
            boundaries.add(b);
        }
        if (japanese) {
            boundaries = JapaneseSentenceBreaks.refine(text, boundaries);
        }
        List<String> sentences = new ArrayList<>();
        for (int i = 1; i < boundaries.size(); i++) {
            String sentence =
                    text.substring(boundaries.get(i - 1), boundaries.get(i)).strip();
            if (sentence.codePoints().anyMatch(Character::isLetterOrDigit)) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
