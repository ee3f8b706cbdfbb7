package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInputsTest {

    @TempDir
    Path tmp;

    private String config(Path corpus, Path eval, String lr) {
        return String.join(
                "\n",
                "model: tiny",
                "task: {type: t, corpus: " + corpus + ", eval: [" + eval + "], pooling: cls}",
                "training: {steps: 10, lr: " + lr + "}",
                "output: " + tmp.resolve("run"),
                "");
    }

    @Test
    void commentsKeyOrderLayoutAndTheOutputAreNotTheConfig() throws IOException {
        Path corpus = Files.writeString(tmp.resolve("corpus.txt"), "a\nb\n");
        Path eval = Files.writeString(tmp.resolve("eval.txt"), "c\n");
        RunInputs a = RunInputs.of(config(corpus, eval, "0.001"));
        RunInputs b = RunInputs.of(String.join(
                "\n",
                "# a new comment",
                "output: " + tmp.resolve("moved-run"),
                "training:",
                "  lr: 1.0e-3   # the same number",
                "  steps: 10",
                "task:",
                "  pooling: cls",
                "  eval:",
                "    - " + eval,
                "  corpus: " + corpus,
                "  type: t",
                "model: tiny",
                ""));
        assertEquals(a.hash(), b.hash());
        assertEquals(List.of(), b.differencesFrom(a));
        assertEquals(
                List.of("task.corpus", "task.eval[0]"), List.copyOf(a.files().keySet()));
    }

    @Test
    void aChangedValueOrDataFileIsNamed() throws IOException {
        Path corpus = Files.writeString(tmp.resolve("corpus.txt"), "a\nb\n");
        Path eval = Files.writeString(tmp.resolve("eval.txt"), "c\n");
        RunInputs then = RunInputs.of(config(corpus, eval, "0.001"));
        RunInputs lr = RunInputs.of(config(corpus, eval, "0.002"));
        assertNotEquals(then.hash(), lr.hash());
        assertEquals(List.of("field 'training.lr' was 0.001, is 0.002"), lr.differencesFrom(then));

        Files.writeString(eval, "d\n"); // same size, other content
        RunInputs now = RunInputs.of(config(corpus, eval, "0.001"));
        assertNotEquals(then.hash(), now.hash());
        List<String> d = now.differencesFrom(then);
        assertEquals(1, d.size(), d.toString());
        assertTrue(d.get(0).startsWith("the data file " + eval.toAbsolutePath() + " (task.eval[0]) changed"), d.get(0));
    }

    @Test
    void theInputsSurviveTheStateFile() throws IOException {
        Path corpus = Files.writeString(tmp.resolve("corpus.txt"), "a\n");
        RunInputs a = RunInputs.of(config(corpus, corpus, "0.001"));
        JsonMapper json = JsonMapper.builder().build();
        RunInputs back = json.readValue(json.writeValueAsString(a), RunInputs.class);
        assertEquals(a, back);
        assertEquals(List.of(), RunInputs.of(config(corpus, corpus, "0.001")).differencesFrom(back));
    }
}
