package org.taskbert.tasks.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.InputFormatException;

/** Reading, the split by document, duplicates, sampling, and the label checks, on small planted files. */
class ClassificationDataTest {

    @TempDir
    Path tmp;

    /** 20 + 14 + 7 documents of labels a, b, c, and 5 exact copies (a/20 of a/03, a/21 of a/07, b/14 of b/02, ...). */
    private Path corpus() throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, Integer> sizes = Map.of("a", 20, "b", 14, "c", 7);
        for (String label : List.of("a", "b", "c")) {
            for (int i = 0; i < sizes.get(label); i++) {
                lines.add(String.format(
                        "{\"id\": \"%s/%02d\", \"title\": \"T%s%d\", \"label\": \"%s\", \"text\": \"body"
                                + " of %s %d\"}",
                        label, i, label, i, label, label, i));
            }
        }
        String[][] copies = {{"a/20", "a/03"}, {"a/21", "a/07"}, {"b/14", "b/02"}, {"c/07", "c/01"}, {"c/08", "c/05"}};
        for (String[] c : copies) {
            String label = c[1].substring(0, 1);
            int of = Integer.parseInt(c[1].substring(2));
            lines.add(String.format(
                    "{\"id\": \"%s\", \"title\": \"T%s%d\", \"label\": \"%s\", \"text\": \"body of %s"
                            + " %d\", \"duplicate_of\": \"%s\"}",
                    c[0], label, of, label, label, of, c[1]));
        }
        return Files.write(tmp.resolve("corpus.jsonl"), lines);
    }

    private static ClassificationConfig corpusConfig(Path corpus, ClassificationConfig.Split split) {
        return new ClassificationConfig(null, null, null, corpus, split, null, null, null, null, null, null, null);
    }

    private static ClassificationConfig corpusConfig(Path corpus, Long seed, List<String> labels, Integer max) {
        return new ClassificationConfig(
                null,
                null,
                null,
                corpus,
                new ClassificationConfig.Split(null, null, seed),
                null,
                null,
                "title",
                null,
                labels,
                null,
                max);
    }

    private static ClassificationConfig filesConfig(Path train, Path dev, Path test, List<String> labels) {
        return new ClassificationConfig(train, dev, test, null, null, null, null, null, null, labels, null, null);
    }

    private static List<String> ids(List<LabelledText> part) {
        return part.stream().map(LabelledText::id).toList();
    }

    @Test
    void theSplitIsStratifiedByDocumentAndCopiesNeverLeakIntoDevOrTest() throws Exception {
        Path file = corpus();
        ClassificationData d = ClassificationData.load(corpusConfig(file, 7L, null, null));
        assertEquals(List.of("a", "b", "c"), d.labels());
        // per label, round(0.15 · groups) groups go to test and as many to dev: a 20 → 3, b 14 → 2, c 7 → 1
        assertArrayEquals(new int[] {3, 2, 1}, d.counts(d.dev()));
        assertArrayEquals(new int[] {3, 2, 1}, d.counts(d.test()));
        assertTrue(d.dev().stream().noneMatch(LabelledText::isDuplicate));
        assertTrue(d.test().stream().noneMatch(LabelledText::isDuplicate));
        assertEquals(46, d.train().size() + d.dev().size() + d.test().size() + d.droppedDuplicates());
        // the copies carry the same text: none of dev's or test's texts is trained on
        Set<String> trained = new HashSet<>();
        d.train().forEach(e -> trained.add(e.text()));
        for (LabelledText e : d.dev()) {
            assertFalse(trained.contains(e.text()), e.id());
        }
        for (LabelledText e : d.test()) {
            assertFalse(trained.contains(e.text()), e.id());
        }
        for (LabelledText e : d.train()) {
            assertTrue(
                    e.text().matches("T" + e.label() + "(\\d+)\n\nbody of " + e.label() + " \\1"),
                    "the title is prepended: " + e.text());
        }
        ClassificationData.Parts parts = ClassificationData.splitByDocument(
                LabelledText.read(file, new LabelledText.Fields("text", null, null, "label"), true), 0.15, 0.15, 7);
        Map<String, Integer> partOf = new HashMap<>();
        List<List<LabelledText>> all = List.of(parts.train(), parts.dev(), parts.test());
        for (int p = 0; p < 3; p++) {
            for (LabelledText e : all.get(p)) {
                partOf.put(e.id(), p);
            }
        }
        int copiesInDevOrTest = 0;
        for (List<LabelledText> part : all) {
            for (LabelledText e : part) {
                if (e.isDuplicate()) {
                    assertEquals(partOf.get(e.duplicateOf()), partOf.get(e.id()), e.id() + " is with its original");
                    copiesInDevOrTest += partOf.get(e.id()) > 0 ? 1 : 0;
                }
            }
        }
        assertEquals(copiesInDevOrTest, d.droppedDuplicates());
    }

    @Test
    void theSplitIsAFunctionOfTheSeedAndNotOfTheFileOrder() throws Exception {
        Path file = corpus();
        LabelledText.Fields f = new LabelledText.Fields("text", null, null, "label");
        List<LabelledText> docs = LabelledText.read(file, f, true);
        List<LabelledText> reversed = new ArrayList<>(docs);
        java.util.Collections.reverse(reversed);
        ClassificationData.Parts a = ClassificationData.splitByDocument(docs, 0.15, 0.15, 7);
        ClassificationData.Parts b = ClassificationData.splitByDocument(reversed, 0.15, 0.15, 7);
        assertEquals(Set.copyOf(ids(a.test())), Set.copyOf(ids(b.test())));
        assertEquals(Set.copyOf(ids(a.dev())), Set.copyOf(ids(b.dev())));
        assertEquals(
                ids(a.test()),
                ids(ClassificationData.splitByDocument(docs, 0.15, 0.15, 7).test()));
        assertNotEquals(
                Set.copyOf(ids(a.test())),
                Set.copyOf(ids(
                        ClassificationData.splitByDocument(docs, 0.15, 0.15, 8).test())),
                "another seed");
    }

    @Test
    void theSplitAndTheSampleOfASeedStayAsTheyWere() throws Exception {
        // pinned: the ids this corpus gave before the port onto the SPI (a run's split must not move between versions)
        ClassificationData d = ClassificationData.load(corpusConfig(corpus(), 7L, null, 12));
        assertEquals(List.of("a/01", "a/02", "a/07", "b/02", "b/12", "c/05"), ids(d.dev()));
        assertEquals(List.of("a/03", "a/08", "a/17", "b/06", "b/07", "c/04"), ids(d.test()));
        assertEquals(4, d.droppedDuplicates()); // a/21, b/14, c/08 went to dev and a/20 to test with their originals
        assertEquals(
                List.of("a/04", "a/06", "a/10", "a/11", "a/14", "a/16", "b/01", "b/05", "b/08", "b/11", "c/00", "c/06"),
                ids(d.train()));
    }

    @Test
    void maxExamplesSamplesTheTrainingSplitOnly() throws Exception {
        Path file = corpus();
        ClassificationData full = ClassificationData.load(corpusConfig(file, 7L, null, null));
        ClassificationData cut = ClassificationData.load(corpusConfig(file, 7L, null, 12));
        assertEquals(12, cut.train().size());
        assertTrue(ids(full.train()).containsAll(ids(cut.train())));
        assertEquals(ids(full.dev()), ids(cut.dev()));
        assertEquals(ids(full.test()), ids(cut.test()));
        assertEquals(
                ids(cut.train()),
                ids(ClassificationData.load(corpusConfig(file, 7L, null, 12)).train()));
    }

    @Test
    void aDevOrTestLabelThatTrainingNeverSawIsNamedWithItsLine() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 10, 1);
        Path dev = Files.writeString(
                tmp.resolve("dev.jsonl"),
                SyntheticTopics.line("man", "people") + "\n" + SyntheticTopics.line("dog", "animals") + "\n"
                        + SyntheticTopics.line("cat", "plants") + "\n");
        Path test = Files.writeString(tmp.resolve("test.jsonl"), "\n" + SyntheticTopics.line("dog", "fungi") + "\n");
        var e = assertThrows(
                InputFormatException.class, () -> ClassificationData.load(filesConfig(train, dev, test, null)));
        assertTrue(
                e.getMessage().startsWith(dev + ":3: label 'plants' never occurs in the training examples of " + train),
                e.getMessage());
        assertTrue(e.getMessage().contains("'fungi' (first at " + test + ":2)"), e.getMessage());
    }

    @Test
    void aListedClassWithoutTrainingExamplesIsNamed() throws Exception {
        Path train = SyntheticTopics.write(tmp.resolve("train.jsonl"), 10, 1);
        Path dev = SyntheticTopics.write(tmp.resolve("dev.jsonl"), 4, 2);
        var e = assertThrows(
                ConfigException.class,
                () -> ClassificationData.load(filesConfig(train, dev, null, List.of("people", "plants", "animals"))));
        assertTrue(
                e.getMessage().contains("task.labels")
                        && e.getMessage()
                                .contains("class 'plants' has no training" + " examples in the training examples of "
                                        + train),
                e.getMessage());
        // the listed order is the head's order
        assertEquals(
                List.of("people", "animals"),
                ClassificationData.load(filesConfig(train, dev, null, List.of("people", "animals")))
                        .labels());
        var unlisted = assertThrows(
                InputFormatException.class,
                () -> ClassificationData.load(filesConfig(train, dev, null, List.of("people", "minerals"))));
        assertTrue(
                unlisted.getMessage().startsWith(train + ":2: label 'animals' is not among task.labels"),
                unlisted.getMessage());
    }

    @Test
    void badLinesAreNamedByFileAndLine() throws Exception {
        Path dev = SyntheticTopics.write(tmp.resolve("dev.jsonl"), 4, 2);
        Path broken = Files.writeString(
                tmp.resolve("broken.jsonl"),
                SyntheticTopics.line("man", "people") + "\n{\"text\": \"dog\", \"label\": \n");
        var e1 = assertThrows(
                InputFormatException.class, () -> ClassificationData.load(filesConfig(broken, dev, null, null)));
        assertTrue(e1.getMessage().startsWith(broken + ":2: malformed JSON"), e1.getMessage());
        Path noText =
                Files.writeString(tmp.resolve("notext.jsonl"), "{\"sentence\": \"man\", \"label\": \"people\"}\n");
        var e2 = assertThrows(
                InputFormatException.class, () -> ClassificationData.load(filesConfig(noText, dev, null, null)));
        assertEquals(noText + ":1: missing field 'text'", e2.getMessage());
        Path numeric = Files.writeString(tmp.resolve("numeric.jsonl"), "{\"text\": \"man\", \"label\": 3}\n");
        var e3 = assertThrows(
                InputFormatException.class, () -> ClassificationData.load(filesConfig(numeric, dev, null, null)));
        assertEquals(numeric + ":1: field 'label' must be a string, got number", e3.getMessage());
        Path latin1 = Files.write(
                tmp.resolve("latin1.jsonl"), concat(SyntheticTopics.line("man", "people") + "\n", new byte[] {
                    '{', '"', 't', 'e', 'x', 't', '"', ':', ' ', '"', (byte) 0xE9, '"'
                }));
        var utf8 = assertThrows(
                InputFormatException.class, () -> ClassificationData.load(filesConfig(latin1, dev, null, null)));
        assertTrue(utf8.getMessage().startsWith(latin1 + ":2: invalid UTF-8"), utf8.getMessage());
        Path orphan = Files.writeString(
                tmp.resolve("orphan.jsonl"),
                "{\"id\": \"x\", \"text\": \"a\", \"label\": \"p\"}"
                        + "\n{\"id\": \"y\", \"text\": \"a\", \"label\": \"p\", \"duplicate_of\": \"z\"}\n");
        var e4 = assertThrows(
                InputFormatException.class,
                () -> ClassificationData.splitByDocument(
                        LabelledText.read(orphan, new LabelledText.Fields("text", null, null, "label"), true),
                        0.2,
                        0.2,
                        1));
        assertEquals(orphan + ":2: duplicate_of 'z' names no document of the file", e4.getMessage());
        Path pairs = SyntheticTopics.write(tmp.resolve("pairs.jsonl"), 4, 3);
        var e5 = assertThrows(
                InputFormatException.class,
                () -> LabelledText.read(pairs, new LabelledText.Fields("text", "text_b", null, "label"), false));
        assertEquals(pairs + ":1: missing field 'text_b'", e5.getMessage());
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] h = head.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(h, h.length + tail.length);
        System.arraycopy(tail, 0, out, h.length, tail.length);
        return out;
    }

    @Test
    void theIdHashSplitDependsOnIdAndSeedAloneAndKeepsCopiesTogether() throws Exception {
        List<LabelledText> docs =
                LabelledText.read(corpus(), new LabelledText.Fields("text", null, "title", "label"), true);
        ClassificationData.Parts parts = ClassificationData.splitByIdHash(docs, 0.3, 0.2, 42);
        assertEquals(
                docs.size(),
                parts.train().size() + parts.dev().size() + parts.test().size());
        // another order of the same examples, and a subset, put every example where it was
        List<LabelledText> reversed = new ArrayList<>(docs);
        java.util.Collections.reverse(reversed);
        ClassificationData.Parts again = ClassificationData.splitByIdHash(reversed, 0.3, 0.2, 42);
        assertEquals(new HashSet<>(ids(parts.dev())), new HashSet<>(ids(again.dev())));
        assertEquals(new HashSet<>(ids(parts.test())), new HashSet<>(ids(again.test())));
        List<LabelledText> originals =
                docs.stream().filter(e -> !e.isDuplicate()).toList();
        ClassificationData.Parts subset = ClassificationData.splitByIdHash(originals.subList(0, 20), 0.3, 0.2, 42);
        assertTrue(ids(parts.dev()).containsAll(ids(subset.dev())));
        // a copy goes where its original goes
        Map<String, Integer> partOf = new HashMap<>();
        List<List<LabelledText>> all = List.of(parts.train(), parts.dev(), parts.test());
        for (int p = 0; p < 3; p++) {
            for (LabelledText e : all.get(p)) {
                partOf.put(e.id(), p);
            }
        }
        for (LabelledText e : docs) {
            if (e.isDuplicate()) {
                assertEquals(partOf.get(e.duplicateOf()), partOf.get(e.id()), e.id());
            }
        }
        // another seed, another split; the fraction is uniform in [0, 1)
        assertNotEquals(
                ids(parts.dev()),
                ids(ClassificationData.splitByIdHash(docs, 0.3, 0.2, 43).dev()));
        double mean = 0;
        for (int i = 0; i < 10000; i++) {
            double u = ClassificationData.hashFraction(1, "id" + i);
            assertTrue(u >= 0 && u < 1);
            mean += u / 10000;
        }
        assertEquals(0.5, mean, 0.01);
    }

    @Test
    void anUnknownSplitMethodIsNamed() throws Exception {
        ClassificationConfig cfg = corpusConfig(corpus(), new ClassificationConfig.Split(null, null, 1L, "random"));
        ConfigException e = assertThrows(ConfigException.class, () -> cfg.validate("c.yaml"));
        assertTrue(e.getMessage().contains("'task.split.by'") && e.getMessage().contains("id_hash"), e.getMessage());
    }
}
