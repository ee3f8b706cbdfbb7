package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicSentencesTest {
    private static Set<String> ids(List<Document> docs) {
        return docs.stream().map(Document::id).collect(Collectors.toSet());
    }

    @Test
    void documentSplitHasNoOverlapAndKeepsCopiesTogether() {
        List<Document> docs = new ArrayList<>(NextSentencePairsTest.corpus(100));
        docs.add(new Document("copy-of-d4", "", "label1", "d4", docs.get(4).paragraphs()));
        DocumentSplit split = TopicSentences.splitByDocument(docs, 0.25, 3);
        Set<String> train = ids(split.train());
        Set<String> test = ids(split.test());
        assertEquals(101, train.size() + test.size());
        assertTrue(Collections.disjoint(train, test));
        assertTrue(test.size() >= 20 && test.size() <= 30, "test size " + test.size());
        assertEquals(train.contains("d4"), train.contains("copy-of-d4"));
        for (String label : List.of("label0", "label1", "label2")) {
            assertTrue(split.test().stream().anyMatch(d -> label.equals(d.label())), label);
        }
        // the same split whatever the input order
        List<Document> shuffled = new ArrayList<>(docs);
        Collections.reverse(shuffled);
        assertEquals(test, ids(TopicSentences.splitByDocument(shuffled, 0.25, 3).test()));

        List<LabelledSentence> trainSentences = TopicSentences.sample(split.train(), 10_000, 1, true);
        List<LabelledSentence> testSentences = TopicSentences.sample(split.test(), 10_000, 1, true);
        Set<String> trainDocs =
                trainSentences.stream().map(LabelledSentence::docId).collect(Collectors.toSet());
        Set<String> testDocs =
                testSentences.stream().map(LabelledSentence::docId).collect(Collectors.toSet());
        assertTrue(Collections.disjoint(trainDocs, testDocs));
    }

    @Test
    void sampleLabelsSentencesAndSkipsDuplicates() {
        List<Document> docs = List.of(
                new Document("a", "", "sport", null, List.of(List.of("a0", "a1"), List.of("a2"))),
                new Document("b", "", "tech", null, List.of(List.of("b0"))),
                new Document("c", "", "tech", "b", List.of(List.of("b0"))));
        List<LabelledSentence> all = TopicSentences.sample(docs, 100, 5, true);
        assertEquals(4, all.size());
        assertEquals(
                Set.of("a0", "a1", "a2", "b0"),
                new HashSet<>(all.stream().map(LabelledSentence::text).toList()));
        assertTrue(all.contains(new LabelledSentence("a1", "sport", "a")));
        assertEquals(5, TopicSentences.sample(docs, 100, 5, false).size());
        assertEquals(TopicSentences.sample(docs, 2, 9, false), TopicSentences.sample(docs, 2, 9, false));
        assertEquals(2, TopicSentences.sample(docs, 2, 9, false).size());
    }

    @Test
    void unlabelledDocumentIsNamed() {
        List<Document> docs = List.of(new Document("wiki/640", "", null, null, List.of(List.of("x"))));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TopicSentences.sample(docs, 10, 1, false));
        assertTrue(e.getMessage().contains("wiki/640"), e.getMessage());
    }
}
