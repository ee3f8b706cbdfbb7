package org.taskbert.tasks.classification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A planted classification problem in the tiny models' vocabulary: a text's label is the word set it draws its
 * content words from ({@code people}: man, woman, playing, guitar; {@code animals}: dog, cat, runs, sleeps), mixed
 * with the fillers "the", "a", "is" that both share; the first word is always a content word.
 */
final class SyntheticTopics {

    static final String[] PEOPLE = {"man", "woman", "playing", "guitar"};
    static final String[] ANIMALS = {"dog", "cat", "runs", "sleeps"};
    static final String[] FILLERS = {"the", "a", "is"};

    private SyntheticTopics() {}

    static String text(String label, SplittableRandom rnd) {
        String[] words = label.equals("people") ? PEOPLE : ANIMALS;
        StringBuilder sb = new StringBuilder();
        int n = 3 + rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ")
                    .append(
                            i == 0 || rnd.nextBoolean()
                                    ? words[rnd.nextInt(words.length)]
                                    : FILLERS[rnd.nextInt(FILLERS.length)]);
        }
        return sb.toString();
    }

    /** {@code n} examples, labels alternating people/animals, as JSONL lines with {@code text} and {@code label}. */
    static Path write(Path file, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String label = i % 2 == 0 ? "people" : "animals";
            lines.add(line(text(label, rnd), label));
        }
        return Files.write(file, lines);
    }

    static String line(String text, String label) {
        return "{\"text\": \"" + text + "\", \"label\": \"" + label + "\"}";
    }
}
