package org.taskbert.tasks.ranking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Sentences and example files in the tiny models' vocabulary. */
final class Synthetic {

    static final String[] WORDS = {"the", "man", "woman", "is", "playing", "guitar", "dog", "runs", "cat", "sleeps", "a"
    };

    private Synthetic() {}

    /** A sentence of 3 to 8 words, capitalised, with a full stop. */
    static String sentence(SplittableRandom rnd) {
        StringBuilder s = new StringBuilder();
        int n = 3 + rnd.nextInt(6);
        for (int w = 0; w < n; w++) {
            String word = WORDS[rnd.nextInt(WORDS.length)];
            s.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : " " + word);
        }
        return s.append('.').toString();
    }

    /** {@code n} examples as JSONL; every {@code negativeEvery}-th one (0: none) has a hard negative. */
    static Path examples(Path file, int n, int negativeEvery, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String negative =
                    negativeEvery > 0 && i % negativeEvery == 0 ? ", \"negative\": \"" + sentence(rnd) + "\"" : "";
            lines.add("{\"query\": \"" + sentence(rnd) + "\", \"positive\": \"" + sentence(rnd) + " " + sentence(rnd)
                    + "\"" + negative + "}");
        }
        return Files.write(file, lines);
    }
}
