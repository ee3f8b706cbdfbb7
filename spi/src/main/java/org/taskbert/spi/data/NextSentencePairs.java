package org.taskbert.spi.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Samples next-sentence-prediction pairs as BERT's {@code create_pretraining_data.py} does: sentence A is any sentence
 * that has a successor in its document (so longer documents give more pairs); with probability 0.5 B is that
 * successor, otherwise a random sentence of a different, uniformly chosen document. Documents that are exact copies
 * of A's document ({@link Document#duplicateGroup()}) never supply a random B.
 */
public final class NextSentencePairs {
    private NextSentencePairs() {}

    /**
     * The documents of a corpus for next-sentence training, sentences split by the locale's rules; fails at once,
     * naming the file, when no document has two sentences.
     */
    public static List<Document> corpus(java.nio.file.Path file, String locale, int maxDocs)
            throws java.io.IOException {
        List<Document> docs = Corpus.read(file, new SentenceSplitter(new com.ibm.icu.util.ULocale(locale)), maxDocs);
        try {
            sample(docs, 1, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        return docs;
    }

    /** {@code n} pairs, deterministic for a given corpus and seed; A positions are drawn with replacement. */
    public static List<SentencePair> sample(List<Document> docs, int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        if (docs.size() < 2) {
            throw new IllegalArgumentException("next-sentence pairs need at least 2 documents, got " + docs.size());
        }
        List<Document> withText = new ArrayList<>();
        List<List<String>> sentences = new ArrayList<>();
        Map<String, Integer> groups = new HashMap<>();
        long[] cumulativeStarts = new long[docs.size()]; // running count of A positions, per document with text
        long starts = 0;
        for (Document doc : docs) {
            List<String> s = doc.sentences();
            if (!s.isEmpty()) {
                starts += s.size() - 1;
                cumulativeStarts[withText.size()] = starts;
                withText.add(doc);
                sentences.add(s);
                groups.merge(doc.duplicateGroup(), 1, Integer::sum);
            }
        }
        if (starts == 0) {
            throw new IllegalArgumentException("no document has 2 or more sentences (documents of one sentence only)");
        }
        if (groups.size() < 2) {
            throw new IllegalArgumentException(
                    "next-sentence pairs need sentences from at least 2 different documents, got " + groups.size());
        }
        Random random = new Random(seed);
        List<SentencePair> pairs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long position = (long) (random.nextDouble() * starts);
            int d = upperBound(cumulativeStarts, withText.size(), position);
            List<String> own = sentences.get(d);
            int a = (int) (position - (d == 0 ? 0 : cumulativeStarts[d - 1]));
            String docA = withText.get(d).id();
            if (random.nextBoolean()) {
                pairs.add(new SentencePair(own.get(a), own.get(a + 1), true, docA));
            } else {
                String group = withText.get(d).duplicateGroup();
                int other;
                do { // terminates: at least one other group has sentences
                    other = random.nextInt(withText.size());
                } while (withText.get(other).duplicateGroup().equals(group));
                List<String> theirs = sentences.get(other);
                pairs.add(new SentencePair(own.get(a), theirs.get(random.nextInt(theirs.size())), false, docA));
            }
        }
        return pairs;
    }

    /** The first index {@code i < size} with {@code cumulative[i] > value}. */
    private static int upperBound(long[] cumulative, int size, long value) {
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > value) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
