package org.taskbert.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.DocumentSplit;
import org.taskbert.spi.data.LabelledSentence;
import org.taskbert.spi.data.NextSentencePairs;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.spi.data.SentenceSplitter;
import org.taskbert.spi.data.TopicSentences;

class RealCorpusDataTest {
    @Test
    void bbcNews() throws IOException {
        long start = System.nanoTime();
        List<Document> docs = Corpus.read(SharedData.path("data/corpus/bbc_news.jsonl.gz"), new SentenceSplitter(), 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long sentences = docs.stream().mapToLong(d -> d.sentences().size()).sum();
        System.out.printf("bbc_news: %d docs, %d sentences, read+split in %.1f s%n", docs.size(), sentences, seconds);
        assertEquals(2225, docs.size());
        Map<String, Long> labels = docs.stream().collect(Collectors.groupingBy(Document::label, Collectors.counting()));
        assertEquals(
                Map.of("business", 510L, "entertainment", 386L, "politics", 417L, "sport", 511L, "tech", 401L), labels);
        assertEquals(98, docs.stream().filter(Document::isDuplicate).count());
        assertTrue(sentences > 35_000 && sentences < 50_000, "sentences " + sentences);
        assertTrue(docs.stream().allMatch(d -> d.sentences().size() >= 2));

        List<SentencePair> pairs = NextSentencePairs.sample(docs, 2000, 1);
        long next = pairs.stream().filter(SentencePair::isNext).count();
        assertTrue(Math.abs(next - 1000) <= 100, "isNext " + next);

        DocumentSplit split = TopicSentences.splitByDocument(docs, 0.2, 1);
        Set<String> trainGroups =
                split.train().stream().map(Document::duplicateGroup).collect(Collectors.toSet());
        Set<String> testGroups =
                split.test().stream().map(Document::duplicateGroup).collect(Collectors.toSet());
        assertTrue(Collections.disjoint(trainGroups, testGroups));
        assertEquals(
                5,
                TopicSentences.sample(split.test(), 1000, 1, true).stream()
                        .map(LabelledSentence::label)
                        .distinct()
                        .count());
    }

    @Test
    void wikipediaHead() throws IOException {
        List<Document> docs =
                Corpus.read(SharedData.path("data/corpus/wikipedia_en.jsonl.gz"), new SentenceSplitter(), 200);
        assertEquals(200, docs.size());
        assertNull(docs.get(0).label());
        assertTrue(docs.stream().allMatch(d -> d.paragraphs().size() >= 3), "README: at least 3 paragraphs");
    }

    /**
     * 118 Japanese Wikipedia articles (JSQuAD's passages) split by the Japanese rules: every sentence ends at a
     * sentence-final mark (。！？, or '.', '!', '?', maybe followed by a closing bracket) or at its paragraph's end;
     * none ends with an opening bracket (ICU alone ends 61 so); a quoted exclamation followed by と stays whole.
     */
    @Test
    void wikipediaJapanese() throws IOException {
        List<Document> docs = Corpus.read(
                SharedData.path("data/corpus/wikipedia_ja_jsquad.jsonl.gz"), new SentenceSplitter(ULocale.JAPANESE));
        assertEquals(118, docs.size());
        long paragraphs = docs.stream().mapToLong(d -> d.paragraphs().size()).sum();
        assertEquals(2304, paragraphs, "README: 2,304 paragraphs");
        List<String> sentences = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        List<String> afterQuote = new ArrayList<>();
        for (Document d : docs) {
            for (List<String> p : d.paragraphs()) {
                for (int i = 0; i < p.size(); i++) {
                    String s = p.get(i);
                    sentences.add(s);
                    assertFalse(s.isBlank(), d.id());
                    String bare = s.replaceAll("[」』）)］】〕〉》]+$", "");
                    if (i < p.size() - 1 && !bare.matches("(?s).*[。！？.!?．]$")) {
                        unfinished.add(d.id() + ": " + s);
                    }
                    assertFalse(s.matches("(?s).*[「『（(]$"), () -> d.id() + " ends with an opening bracket: " + s);
                    if (i > 0 && p.get(i - 1).endsWith("」") && s.startsWith("と")) {
                        afterQuote.add(d.id() + ": " + p.get(i - 1) + " | " + s);
                    }
                }
            }
        }
        System.out.printf(
                "wikipedia_ja_jsquad: %d docs, %d paragraphs, %d sentences%n",
                docs.size(), paragraphs, sentences.size());
        assertEquals(List.of(), unfinished, "sentences that end neither at a mark nor at their paragraph's end");
        // ICU alone: 6,935 sentences; the Japanese rules join about a hundred quotation fragments
        assertTrue(sentences.size() > 6_500 && sentences.size() < 7_000, "sentences " + sentences.size());
        assertTrue(sentences.contains("雨季の一種である。"), "a plain sentence of 梅雨");
        assertTrue(
                sentences.contains("反発するシェーンベルクに怒ったマーラーは「こんな生意気な小僧は二度と呼ぶな！」とアルマに言い、"
                        + "シェーンベルクとツェムリンスキーはマーラー宅を「もうこんな家に来るものか！」と出て行った。"),
                "a sentence with two quoted exclamations, whole");
        assertEquals(List.of(), afterQuote, "sentences that begin with the quotative と after a closing 」");
    }
}
