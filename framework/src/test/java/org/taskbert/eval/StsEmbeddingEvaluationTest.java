package org.taskbert.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.eval.StsEvaluation;

/** STS files as a task's embedding evaluation: each sentence once, Spearman of cosine per file, known answers. */
class StsEmbeddingEvaluationTest {

    @TempDir
    Path tmp;

    private static String pair(String a, String b, double score) {
        return "{\"sentence1\": \"" + a + "\", \"sentence2\": \"" + b + "\", \"score\": " + score + "}";
    }

    @Test
    void plantedAnglesGiveTheirRankCorrelationPerFile() throws Exception {
        Path dev = Files.createDirectories(tmp.resolve("stsb")).resolve("dev.jsonl");
        Files.write(dev, List.of(pair("a", "b", 5), pair("a", "c", 3), pair("a", "d", 1)));
        Path trial = Files.createDirectories(tmp.resolve("sick")).resolve("trial.jsonl");
        // By angle (a,b) 10 degrees > (b,c) 30 > (c,d) 40 in cosine; gold orders them exactly the other way round.
        Files.write(trial, List.of(pair("b", "c", 2), pair("a", "b", 1), pair("c", "d", 4)));
        EmbeddingEvaluation eval = StsEvaluation.embeddingEvaluation(List.of(dev, trial), 40);
        assertEquals(List.of("a", "b", "c", "d"), eval.texts(), "each distinct sentence once, in order of appearance");
        assertEquals(40, eval.maxLength());
        double[] degrees = {0, 10, 40, 80};
        float[][] v = new float[4][];
        for (int i = 0; i < 4; i++) {
            double r = Math.toRadians(degrees[i]);
            v[i] = new float[] {(float) Math.cos(r), (float) Math.sin(r)};
        }
        Map<String, Double> m = eval.score(v);
        assertEquals(List.of("stsb/dev.spearman", "sick/trial.spearman"), List.copyOf(m.keySet()));
        assertEquals(100, m.get("stsb/dev.spearman"), 1e-9);
        assertEquals(-100, m.get("sick/trial.spearman"), 1e-9);
    }
}
