package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.taskbert.spi.eval.ClusterAgreement;

/** k-means and the predicted-topic metrics on cases worked out by hand (ARI, V-measure, p@k: the SPI's tests). */
class TopicMetricsTest {

    @Test
    void kMeansFindsPlantedDirections() {
        SplittableRandom rnd = new SplittableRandom(1);
        float[][] x = new float[60][3];
        int[] truth = new int[60];
        for (int i = 0; i < 60; i++) {
            truth[i] = i % 3;
            for (int j = 0; j < 3; j++) {
                x[i][j] = (float) ((j == truth[i] ? 2 : 0) + 0.3 * rnd.nextDouble() - 0.15);
            }
            // Norms differ wildly; the clustering follows direction (rows are normalised).
            for (int j = 0; j < 3; j++) {
                x[i][j] *= 1 + i;
            }
        }
        int[] clusters = TopicClusters.kMeans(x, 3, 3, 7);
        assertEquals(1.0, ClusterAgreement.adjustedRand(truth, clusters), 1e-12);
        assertArrayEquals(clusters, TopicClusters.kMeans(x, 3, 3, 7), "seeded");
    }

    @Test
    void macroF1ByHand() {
        // Class 0: TP 1, FP 0, FN 1 → 2/3. Class 1: TP 2, FP 1, FN 0 → 4/5.
        Map<String, Double> m = TopicMetrics.classification("doc", new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 2);
        assertEquals(List.of("doc.accuracy", "doc.macro_f1"), List.copyOf(m.keySet()));
        assertEquals((2.0 / 3 + 0.8) / 2, m.get("doc.macro_f1"), 1e-12);
        assertEquals(0.75, m.get("doc.accuracy"), 1e-12);
        // A third class, in neither truth nor predictions, is not averaged.
        assertEquals(
                (2.0 / 3 + 0.8) / 2,
                TopicMetrics.classification("x", new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 3)
                        .get("x.macro_f1"),
                1e-12);
    }
}
