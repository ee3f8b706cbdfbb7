package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NextSentencePairsTest {
    /** Documents of varying length whose sentences name their document and position, e.g. "d3 s2". */
    static List<Document> corpus(int docs) {
        List<Document> list = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            List<List<String>> paragraphs = new ArrayList<>();
            int sentences = 1 + d % 7;
            for (int s = 0; s < sentences; s += 2) {
                paragraphs.add(
                        s + 1 < sentences
                                ? List.of("d" + d + " s" + s, "d" + d + " s" + (s + 1))
                                : List.of("d" + d + " s" + s));
            }
            list.add(new Document("d" + d, "title " + d, "label" + d % 3, null, paragraphs));
        }
        return list;
    }

    @Test
    void balancedTrueNextAndForeignRandom() {
        List<Document> docs = corpus(50);
        Map<String, Document> byId = docs.stream().collect(Collectors.toMap(Document::id, Function.identity()));
        List<SentencePair> pairs = NextSentencePairs.sample(docs, 2000, 42);
        assertEquals(2000, pairs.size());
        long next = pairs.stream().filter(SentencePair::isNext).count();
        assertTrue(Math.abs(next - 1000) <= 100, "isNext count " + next);
        for (SentencePair p : pairs) {
            List<String> own = byId.get(p.docA()).sentences();
            int a = own.indexOf(p.a());
            assertTrue(a >= 0 && a + 1 < own.size(), p::toString);
            if (p.isNext()) {
                assertEquals(own.get(a + 1), p.b(), p::toString);
            } else {
                assertTrue(!own.contains(p.b()), () -> "random B from A's own document: " + p);
                assertTrue(byId.containsKey(p.b().split(" ")[0]), p::toString);
            }
        }
        // true next pairs cross paragraph boundaries too ("d5 s1" -> "d5 s2")
        assertTrue(pairs.stream().anyMatch(p -> p.isNext() && p.a().endsWith(" s1")));
    }

    @Test
    void deterministicPerSeed() {
        List<Document> docs = corpus(20);
        assertEquals(NextSentencePairs.sample(docs, 300, 7), NextSentencePairs.sample(docs, 300, 7));
        assertNotEquals(NextSentencePairs.sample(docs, 300, 7), NextSentencePairs.sample(docs, 300, 8));
    }

    @Test
    void exactCopiesNeverSupplyRandomB() {
        List<Document> docs = List.of(
                new Document("a", "", null, null, List.of(List.of("a0", "a1", "a2"))),
                new Document("a-copy", "", null, "a", List.of(List.of("a0", "a1", "a2"))),
                new Document("b", "", null, null, List.of(List.of("b0"))));
        for (SentencePair p : NextSentencePairs.sample(docs, 500, 1)) {
            if (!p.isNext()) {
                assertEquals("b0", p.b(), p::toString);
            }
        }
    }

    @Test
    void errors() {
        Document two = new Document("x", "", null, null, List.of(List.of("one.", "two.")));
        Document one = new Document("y", "", null, null, List.of(List.of("only.")));
        IllegalArgumentException few =
                assertThrows(IllegalArgumentException.class, () -> NextSentencePairs.sample(List.of(two), 10, 1));
        assertTrue(few.getMessage().contains("at least 2 documents"), few.getMessage());
        IllegalArgumentException short1 = assertThrows(
                IllegalArgumentException.class,
                () -> NextSentencePairs.sample(List.of(one, new Document("z", "", null, null, List.of())), 10, 1));
        assertTrue(short1.getMessage().contains("documents of one sentence only"), short1.getMessage());
        assertEquals(10, NextSentencePairs.sample(List.of(two, one), 10, 1).size());
    }
}
