package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.DocumentSplit;
import org.taskbert.train.TaskHarness;

/** The split (determinism, duplicates), empty and unlabelled documents, and config errors that name the field. */
class DocumentDataTest {

    @TempDir
    Path tmp;

    static List<Document> corpus() {
        List<Document> docs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            docs.add(new Document("d" + i, "", i % 2 == 0 ? "x" : "y", null, List.of(List.of("S" + i + "."))));
        }
        for (int i = 0; i < 8; i++) {
            docs.add(new Document("copy" + i, "", i % 2 == 0 ? "x" : "y", "d" + i, List.of(List.of("S" + i + "."))));
        }
        return docs;
    }

    static Set<String> ids(List<Document> docs) {
        return docs.stream().map(Document::id).collect(Collectors.toSet());
    }

    @Test
    void theSplitIsSeededOrderFreeKeepsCopiesWithTheirOriginalAndDropsThemFromEvaluation() {
        List<Document> docs = corpus();
        DocumentSplit a = DocumentData.split(docs, 0.25, 5);
        List<Document> shuffled = new ArrayList<>(docs);
        Collections.shuffle(shuffled, new Random(1));
        DocumentSplit b = DocumentData.split(shuffled, 0.25, 5);
        assertEquals(ids(a.train()), ids(b.train()));
        assertEquals(ids(a.test()), ids(b.test()));
        assertNotEquals(ids(a.test()), ids(DocumentData.split(docs, 0.25, 6).test()), "another seed, another split");
        assertEquals(10, a.test().size(), "a quarter of the 40 originals, 5 of each label");
        assertEquals(5, a.test().stream().filter(d -> d.label().equals("x")).count());
        assertTrue(a.test().stream().noneMatch(Document::isDuplicate), "copies are not evaluated");
        for (Document d : a.train()) {
            if (d.isDuplicate()) {
                assertTrue(ids(a.train()).contains(d.duplicateOf()), d.id() + " is trained on, so is its original");
            }
        }
        // A copy of an evaluation document is on neither side.
        for (int i = 0; i < 8; i++) {
            boolean originalInEval = ids(a.test()).contains("d" + i);
            assertEquals(!originalInEval, ids(a.train()).contains("copy" + i), "copy" + i);
        }
    }

    @Test
    void emptyDocumentsAreSkippedAndCountedAndAnUnlabelledOneIsAnError() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            lines.add(SyntheticDocuments.line("d" + i, i % 2 == 0 ? "x" : "y", "The man runs. The dog sleeps.", null));
        }
        lines.add(SyntheticDocuments.line("empty", "x", "  ", null));
        Path corpus = SyntheticDocuments.write(tmp.resolve("c.jsonl.gz"), lines);
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
        TaskContext ctx = TaskHarness.context(model, 16, 4, 7);
        DocumentTask task = (DocumentTask) config(corpus).create(ctx);
        assertEquals(1, task.data().skippedEmpty());
        assertEquals(12, task.data().train().size() + task.data().eval().size());

        lines.add(SyntheticDocuments.line("nolabel", null, "The cat runs.", null));
        Path bad = SyntheticDocuments.write(tmp.resolve("bad.jsonl.gz"), lines);
        var e = assertThrows(IllegalArgumentException.class, () -> config(bad).create(ctx));
        assertTrue(e.getMessage().contains("bad.jsonl.gz") && e.getMessage().contains("'nolabel'"), e.getMessage());
    }

    DocumentConfig config(Path corpus) {
        return new DocumentConfig(
                corpus,
                0,
                "en",
                0.25,
                1L,
                null,
                null,
                4,
                16,
                null,
                null,
                null,
                null,
                2,
                8,
                null,
                null,
                null,
                2,
                tmp.resolve("cache"));
    }

    @Test
    void badConfigsNameTheField() throws Exception {
        Path c = new DocumentTrainingTest() {
            {
                tmp = DocumentDataTest.this.tmp;
            }
        }.config("", "steps: 2, batch_size: 4, eval_every: 2, train_layers: 0, train_pooler: false");
        for (String[] bad : List.of(
                new String[] {"task.objective=ranking", "task.objective"},
                new String[] {"task.layers=3", "task.layers"},
                new String[] {"task.sentence_encoder=trained", "task.sentence_encoder"},
                new String[] {"task.baselines=[tfidf, bert1024]", "task.baselines[1]"},
                new String[] {"task.views=thirds", "task.views"},
                new String[] {"task.temperature=0", "task.temperature"},
                new String[] {"task.heads=3", "task.heads"},
                new String[] {"task.sentence_pooling=avg", "task.sentence_pooling"},
                new String[] {"task.corpus=/nonexistent.jsonl", "task.corpus"},
                new String[] {"task.max_sentencez=3", "task.max_sentencez"})) {
            DocumentTrainingTest.Result r = DocumentTrainingTest.train(c, "--set", bad[0]);
            assertNotEquals(0, r.code(), bad[0]);
            assertTrue(r.err().contains(bad[1]), bad[0] + ": " + r.err());
        }
    }
}
