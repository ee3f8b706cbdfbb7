package org.taskbert.spi.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Sentences labelled with their document's topic, for probing whether embeddings separate topics; and a split of
 * documents into train and test so that no document's sentences land on both sides.
 */
public final class TopicSentences {
    private TopicSentences() {}

    /**
     * Up to {@code n} sentences drawn without replacement (all of them, shuffled, if there are fewer), deterministic
     * for a given corpus and seed.
     *
     * @param excludeDuplicates skip documents marked as copies of another ({@link Document#isDuplicate()})
     * @throws IllegalArgumentException if a used document has no label
     */
    public static List<LabelledSentence> sample(List<Document> docs, int n, long seed, boolean excludeDuplicates) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        List<LabelledSentence> all = new ArrayList<>();
        for (Document doc : docs) {
            if (excludeDuplicates && doc.isDuplicate()) {
                continue;
            }
            if (doc.label() == null) {
                throw new IllegalArgumentException("document '" + doc.id() + "' has no label");
            }
            for (String sentence : doc.sentences()) {
                all.add(new LabelledSentence(sentence, doc.label(), doc.id()));
            }
        }
        Collections.shuffle(all, new Random(seed));
        return new ArrayList<>(all.subList(0, Math.min(n, all.size())));
    }

    /**
     * Splits documents into train and test, about {@code testFraction} of them in test, stratified by label (so each
     * label is on both sides where it has enough documents). Exact copies ({@link Document#duplicateGroup()}) stay
     * together. Deterministic for a given set of ids and seed, whatever the input order; each side keeps the input
     * order.
     */
    public static DocumentSplit splitByDocument(List<Document> docs, double testFraction, long seed) {
        if (!(testFraction >= 0 && testFraction <= 1)) {
            throw new IllegalArgumentException("testFraction must be in [0, 1], got " + testFraction);
        }
        // label -> duplicate groups; sorted so that the result does not depend on the input order
        Map<String, Set<String>> groupsByLabel = new TreeMap<>();
        for (Document doc : docs) {
            groupsByLabel
                    .computeIfAbsent(String.valueOf(doc.label()), k -> new TreeSet<>())
                    .add(doc.duplicateGroup());
        }
        Random random = new Random(seed);
        Set<String> testGroups = new HashSet<>();
        for (Set<String> groups : groupsByLabel.values()) {
            List<String> keys = new ArrayList<>(groups);
            Collections.shuffle(keys, random);
            testGroups.addAll(keys.subList(0, (int) Math.round(testFraction * keys.size())));
        }
        List<Document> train = new ArrayList<>();
        List<Document> test = new ArrayList<>();
        for (Document doc : docs) {
            (testGroups.contains(doc.duplicateGroup()) ? test : train).add(doc);
        }
        return new DocumentSplit(train, test);
    }
}
