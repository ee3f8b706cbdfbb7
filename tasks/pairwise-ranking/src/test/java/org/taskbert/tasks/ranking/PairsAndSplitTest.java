package org.taskbert.tasks.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.SharedData;
import org.taskbert.config.ConfigLoader;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.SentenceSplitter;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/**
 * First-sentence pairs from a corpus with a known answer, the evaluation's candidate pool, the split by id hash, and
 * the real Wikipedia counts.
 */
class PairsAndSplitTest {

    @TempDir
    Path tmp;

    @Test
    void firstSentenceIsTheQueryAndTheRestOfTheFirstParagraphThePositive() throws Exception {
        Path corpus = Files.write(
                tmp.resolve("c.jsonl"),
                List.of(
                        "{\"id\": \"a\", \"text\": \"The cat sleeps. The dog runs fast. A man plays.\\n\\nLater text. More.\"}",
                        "{\"id\": \"b\", \"text\": \"Only one sentence here.\\n\\nThe second paragraph. Is not used.\"}",
                        "{\"id\": \"c\", \"text\": \"\"}",
                        "{\"id\": \"d\", \"text\": \"  \\n\\n  \"}",
                        "{\"id\": \"e\", \"text\": \"The cat sleeps. The dog runs fast. A man plays.\", \"duplicate_of\": \"a\"}",
                        "{\"id\": \"f\", \"text\": \"\\n\\nMr. Smith is here. He said hello!\"}",
                        "{\"id\": \"g\", \"text\": \"One. ...\"}"));
        FirstSentencePairs p = FirstSentencePairs.of(Corpus.read(corpus, new SentenceSplitter()));
        assertEquals(
                List.of(
                        new RankingExample("a", "The cat sleeps.", "The dog runs fast. A man plays.", null),
                        new RankingExample("f", "Mr. Smith is here.", "He said hello!", null)),
                p.pairs());
        assertEquals(7, p.articles());
        assertEquals(2, p.withoutText(), "c and d");
        assertEquals(2, p.singleSentence(), "b, and g whose '...' is no sentence");
        assertEquals(1, p.duplicates());
        assertEquals(5, p.skipped());
        assertEquals(
                "2 pairs from 7 articles; skipped 5 (2 without text, 2 with a one-sentence first paragraph, "
                        + "1 duplicates)",
                p.summary());
    }

    private static List<RankingExample> examples(int n) {
        List<RankingExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new RankingExample(String.valueOf(i), "q" + i, "p" + i, null));
        }
        return out;
    }

    @Test
    void thePoolIsEveryPositiveThenEveryHardNegative() {
        List<RankingExample> dev = List.of(
                new RankingExample("1", "q1", "p1", "n1"),
                new RankingExample("2", "q2", "p2", null),
                new RankingExample("3", "q3", "p3", "n3"));
        assertEquals(List.of("p1", "p2", "p3", "n1", "n3"), RankingEvaluation.pool(dev));
    }

    @Test
    void theDevSideIsTheIdsWithTheSmallestSha256() {
        // SHA-256 of "a", "b", "c", "d": ca97..., 3e23..., 2e7d..., 18ac... (sha256sum)
        List<RankingExample> four = List.of(
                new RankingExample("a", "qa", "pa", null),
                new RankingExample("b", "qb", "pb", null),
                new RankingExample("c", "qc", "pc", null),
                new RankingExample("d", "qd", "pd", null));
        RankingSplit s = RankingSplit.byIdHash(four, 2);
        assertEquals(List.of("c", "d"), s.dev().stream().map(RankingExample::id).toList(), "input order kept");
        assertEquals(
                List.of("a", "b"), s.train().stream().map(RankingExample::id).toList());
        assertTrue(RankingSplit.sha256("a").startsWith("ca978112"));
    }

    @Test
    void theSplitIsDisjointCompleteAndIndependentOfInputOrder() {
        List<RankingExample> all = examples(200);
        RankingSplit s = RankingSplit.byIdHash(all, 30);
        assertEquals(30, s.dev().size());
        assertEquals(170, s.train().size());
        var union = new HashSet<>(s.train());
        union.addAll(s.dev());
        assertEquals(new HashSet<>(all), union);
        List<RankingExample> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(
                new HashSet<>(s.dev()),
                new HashSet<>(RankingSplit.byIdHash(shuffled, 30).dev()));
        // A bigger dev set contains the smaller one: growing dev_size moves articles out of training only.
        assertTrue(new HashSet<>(RankingSplit.byIdHash(all, 60).dev()).containsAll(s.dev()));
        var e = assertThrows(IllegalArgumentException.class, () -> RankingSplit.byIdHash(examples(5), 5));
        assertTrue(e.getMessage().contains("there are 5"), e.getMessage());
    }

    @Test
    void wikipediaGivesAPairForEveryArticleWithATwoSentenceLead() throws Exception {
        Path wiki = SharedData.path("data/corpus/wikipedia_en.jsonl.gz");
        var docs = Corpus.read(wiki, new SentenceSplitter());
        FirstSentencePairs p = FirstSentencePairs.of(docs);
        assertEquals(5000, p.articles());
        assertEquals(4163, p.pairs().size(), p.summary());
        assertEquals(837, p.singleSentence(), p.summary());
        assertEquals(0, p.withoutText() + p.duplicates(), p.summary());
        for (int i = 0, k = 0; i < docs.size(); i++) {
            List<String> lead = docs.get(i).paragraphs().get(0);
            if (lead.size() >= 2) {
                RankingExample e = p.pairs().get(k++);
                assertEquals(docs.get(i).id(), e.id());
                assertEquals(lead.get(0), e.query());
                assertTrue(!e.positive().isBlank() && e.positive().startsWith(lead.get(1)), e.id());
            }
        }
        // The worked config: this corpus, first-sentence pairs, 500 dev articles.
        Path repo = Path.of("").toAbsolutePath().getParent().getParent(); // tasks/pairwise-ranking -> repo root
        Path yaml = repo.resolve("configs/pairwise-ranking-wikipedia.yaml");
        TrainConfig cfg = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()))
                .read(yaml, TrainConfig.class, List.of("task.corpus=" + wiki))
                .validate(yaml.toString());
        PairwiseRankingConfig task = (PairwiseRankingConfig) cfg.task();
        assertEquals(PairwiseRankingConfig.Pairs.FIRST_SENTENCE, task.pairs());
        assertEquals("dev.mrr@10", cfg.training().bestMetric());
        assertTrue(Files.readString(yaml)
                .contains("task:\n  type: pairwise-ranking\n  corpus: "
                        + "../shared/data/corpus/wikipedia_en.jsonl.gz\n"));
        RankingSplit s = RankingSplit.byIdHash(p.pairs(), task.devSize());
        assertEquals(3663, s.train().size());
        assertEquals(500, s.dev().size());
    }
}
