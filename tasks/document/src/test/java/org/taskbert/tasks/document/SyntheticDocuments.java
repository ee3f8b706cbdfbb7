package org.taskbert.tasks.document;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Labelled corpora in the tiny models' vocabulary, with a planted answer. */
final class SyntheticDocuments {

    static final String A = "The man is playing guitar.";
    static final String B = "The dog runs.";
    static final String[] FILLERS = {"The cat sleeps.", "A woman is playing.", "The woman runs.", "A cat is the cat."};

    private SyntheticDocuments() {}

    /**
     * Documents "A B F" or "B A F" (F a random filler), labelled {@code ab} or {@code ba} by the order of A and B:
     * every document holds the same sentences whatever its label, so the mean of its sentence vectors cannot tell the
     * labels apart, while a layer with sentence positions can.
     */
    static Path order(Path file, int docs, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < docs; d++) {
            boolean ab = rnd.nextBoolean();
            String filler = FILLERS[rnd.nextInt(FILLERS.length)];
            lines.add(line("d" + d, ab ? "ab" : "ba", (ab ? A + " " + B : B + " " + A) + " " + filler, null));
        }
        return write(file, lines);
    }

    static String line(String id, String label, String text, String duplicateOf) {
        return String.format(
                "{\"id\": \"%s\", %s\"text\": \"%s\"%s}",
                id,
                label == null ? "" : "\"label\": \"" + label + "\", ",
                text,
                duplicateOf == null ? "" : ", \"duplicate_of\": \"" + duplicateOf + "\"");
    }

    static Path write(Path file, List<String> lines) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
