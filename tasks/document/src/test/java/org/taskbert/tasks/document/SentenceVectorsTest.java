package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sentence-vector cache: reuse, keys, atomic writes and recovery from a damaged file. */
class SentenceVectorsTest {

    @TempDir
    Path tmp;

    final AtomicInteger calls = new AtomicInteger();
    final SentenceVectors.Embedder embed = texts -> {
        calls.incrementAndGet();
        return texts.stream().map(t -> new float[] {t.length(), t.charAt(0)}).toArray(float[][]::new);
    };

    static Map<String, List<String>> docs() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("d1", List.of("One.", "Two two."));
        m.put("d2", List.of("Three."));
        return m;
    }

    @Test
    void computedOnceThenReadBackForTheSameKeyAndDocuments() throws IOException {
        Map<String, float[][]> first = SentenceVectors.load(docs(), "k", tmp, embed);
        assertArrayEquals(new float[] {8, 'T'}, first.get("d1")[1]);
        Map<String, float[][]> second = SentenceVectors.load(docs(), "k", tmp, embed);
        assertEquals(1, calls.get(), "the second load reads the cache");
        assertArrayEquals(first.get("d1")[1], second.get("d1")[1]);
        assertEquals(1, second.get("d2").length);
        SentenceVectors.load(docs(), "another model", tmp, embed);
        Map<String, List<String>> changed = docs();
        changed.put("d2", List.of("Three!"));
        SentenceVectors.load(changed, "k", tmp, embed);
        assertEquals(3, calls.get(), "another key or other sentences are another cache file");
        assertEquals(List.of(), hidden(tmp), "no temporary files left behind");
    }

    @Test
    void aDamagedCacheFileIsRecomputedAndAFailedEncodingLeavesNoFile() throws IOException {
        SentenceVectors.load(docs(), "k", tmp, embed);
        Path file = tmp.resolve(SentenceVectors.fileName(docs(), "k"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 3)); // truncated
        assertThrows(IOException.class, () -> SentenceVectors.read(file));
        Map<String, float[][]> again = SentenceVectors.load(docs(), "k", tmp, embed);
        assertEquals(2, calls.get());
        assertArrayEquals(new float[] {6, 'T'}, again.get("d2")[0]);
        assertEquals(bytes.length, Files.size(file), "rewritten whole");

        Path empty = tmp.resolve("other");
        IOException e = assertThrows(
                IOException.class,
                () -> SentenceVectors.load(docs(), "k", empty, texts -> {
                    throw new IOException("encoder failed");
                }));
        assertEquals("encoder failed", e.getMessage());
        assertTrue(!Files.exists(empty) || list(empty).isEmpty(), "nothing cached after a failure");
    }

    static List<Path> hidden(Path dir) throws IOException {
        return list(dir).stream()
                .filter(p -> p.getFileName().toString().startsWith("."))
                .toList();
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
