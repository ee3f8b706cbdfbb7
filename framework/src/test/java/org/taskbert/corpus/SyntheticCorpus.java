package org.taskbert.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small gzipped JSONL corpora in the tiny models' vocabulary. */
public final class SyntheticCorpus {

    public static final String[] WORDS = {
        "the", "man", "woman", "is", "playing", "guitar", "dog", "runs", "cat", "sleeps"
    };

    private SyntheticCorpus() {}

    public static Path write(Path file, int docs, int sentencesPerDoc, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (int d = 0; d < docs; d++) {
                StringBuilder text = new StringBuilder();
                for (int s = 0; s < sentencesPerDoc; s++) {
                    String first = WORDS[rnd.nextInt(WORDS.length)];
                    text.append(Character.toUpperCase(first.charAt(0))).append(first.substring(1));
                    for (int w = 0; w < 3 + rnd.nextInt(6); w++) {
                        text.append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
                    }
                    text.append(". ");
                }
                out.write(String.format(
                                "{\"id\": \"d%d\", \"text\": \"%s\"}%n",
                                d, text.toString().trim())
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return file;
    }

    public static Path sts(Path file, int pairs, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            sb.append(String.format(
                    "{\"sentence1\": \"%s %s\", \"sentence2\": \"%s %s\", \"score\": %.2f}%n",
                    WORDS[rnd.nextInt(10)],
                    WORDS[rnd.nextInt(10)],
                    WORDS[rnd.nextInt(10)],
                    WORDS[rnd.nextInt(10)],
                    5 * rnd.nextDouble()));
        }
        return Files.writeString(file, sb);
    }
}
