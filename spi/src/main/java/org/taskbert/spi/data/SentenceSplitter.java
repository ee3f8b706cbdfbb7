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
 * "U.S." (plus a few English titles it lacks, e.g. "Dr.") do not end a sentence.
 */
public final class SentenceSplitter {
    /** English titles missing from ICU's suppression list that are almost never sentence-final. */
    private static final Set<String> EXTRA_ENGLISH = Set.of("Dr.", "Gen.", "Gov.", "Sen.", "Supt.", "Insp.");

    private final ULocale locale;
    private final BreakIterator prototype;

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
    }

    public ULocale locale() {
        return locale;
    }

    /** The sentences of {@code text}, trimmed, without those lacking a letter or digit. */
    public List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        BreakIterator it = (BreakIterator) prototype.clone(); // iterators are stateful; the clone shares the rules
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String sentence = text.substring(start, end).strip();
            if (sentence.codePoints().anyMatch(Character::isLetterOrDigit)) {
                sentences.add(sentence);
            }
        }
        return sentences;
    }
}
