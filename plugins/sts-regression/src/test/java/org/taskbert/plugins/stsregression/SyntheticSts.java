package org.taskbert.plugins.stsregression;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * STS JSONL files in the tiny models' vocabulary with a planted score: sentence2 is sentence1 with k of its n words
 * replaced, scored 5·(1 − k/n).
 */
final class SyntheticSts {

    static final String[] WORDS = {"the", "man", "woman", "is", "playing", "guitar", "dog", "runs", "cat", "sleeps"};

    private SyntheticSts() {
    }

    static Path write(Path file, int pairs, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            int n = 4 + rnd.nextInt(4);
            int k = rnd.nextInt(n + 1);
            String[] a = new String[n];
            String[] b = new String[n];
            for (int w = 0; w < n; w++) {
                a[w] = WORDS[rnd.nextInt(WORDS.length)];
                b[w] = a[w];
            }
            for (int w = 0; w < k; w++) {
                String other;
                do {
                    other = WORDS[rnd.nextInt(WORDS.length)];
                } while (other.equals(a[w]));
                b[w] = other;
            }
            sb.append(String.format("{\"sentence1\": \"%s\", \"sentence2\": \"%s\", \"score\": %s}%n",
                    String.join(" ", a), String.join(" ", b), 5.0 * (n - k) / n));
        }
        return Files.writeString(file, sb);
    }
}
