package org.taskbert.tasks.ranking;

import java.util.ArrayList;
import java.util.List;
import org.taskbert.spi.data.Document;

/**
 * {@code pairs: first-sentence}: from each article, the query is the first sentence of its first paragraph (as the
 * corpus's {@code SentenceSplitter} split it) and the positive is the rest of that paragraph, its sentences joined by
 * single spaces. Articles that give no pair are skipped and counted: those without text, those whose first paragraph
 * is a single sentence (so the rest would be empty), and later exact copies of an earlier article
 * ({@code duplicate_of}), which would put one pair on both sides of the split.
 *
 * @param articles the documents looked at
 */
public record FirstSentencePairs(
        List<RankingExample> pairs, int articles, int withoutText, int singleSentence, int duplicates) {

    public FirstSentencePairs {
        pairs = List.copyOf(pairs);
    }

    public static FirstSentencePairs of(List<Document> docs) {
        List<RankingExample> pairs = new ArrayList<>();
        int empty = 0;
        int single = 0;
        int duplicates = 0;
        for (Document d : docs) {
            if (d.isDuplicate()) {
                duplicates++;
            } else if (d.paragraphs().isEmpty()) {
                empty++; // Document drops paragraphs without a sentence
            } else if (d.paragraphs().get(0).size() < 2) {
                single++;
            } else {
                List<String> first = d.paragraphs().get(0);
                pairs.add(new RankingExample(
                        d.id(), first.get(0), String.join(" ", first.subList(1, first.size())), null));
            }
        }
        return new FirstSentencePairs(pairs, docs.size(), empty, single, duplicates);
    }

    public int skipped() {
        return withoutText + singleSentence + duplicates;
    }

    /** One line for the log: pairs made and what was skipped, by reason. */
    public String summary() {
        return String.format(
                "%d pairs from %d articles; skipped %d (%d without text, %d with a one-sentence first "
                        + "paragraph, %d duplicates)",
                pairs.size(), articles, skipped(), withoutText, singleSentence, duplicates);
    }
}
