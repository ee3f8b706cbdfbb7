package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ARI, V-measure, precision@k, k-means, macro-F1 and TF-IDF on cases worked out by hand. */
class TopicMetricsTest {

    @Test
    void adjustedRandIndexByHand() {
        // Pairs together in both: 2; class pairs 3+3 = 6; cluster pairs 1+1+1 = 3; all pairs 15.
        // expected = 6·3/15 = 1.2, max = 4.5: ARI = 0.8/3.3.
        assertEquals(0.8 / 3.3, ClusterAgreement.adjustedRand(new int[] {0, 0, 0, 1, 1, 1},
                new int[] {0, 0, 1, 1, 2, 2}), 1e-12);
        assertEquals(1.0, ClusterAgreement.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {5, 5, 3, 3}), 1e-12);
        // A clustering that splits every class evenly: index 0, expected 2·2/6: (0 − 2/3)/(2 − 2/3) = −0.5.
        assertEquals(-0.5, ClusterAgreement.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    }

    @Test
    void vMeasureByHand() {
        // Homogeneity 1 (pure clusters); completeness 1 − H(K|C)/H(K) = 1 − 0.5·ln2/(1.5·ln2) = 2/3; V = 0.8.
        assertEquals(0.8, ClusterAgreement.vMeasure(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-12);
        assertEquals(1.0, ClusterAgreement.vMeasure(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-12);
        assertEquals(0.0, ClusterAgreement.vMeasure(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    }

    @Test
    void precisionAtKByHand() {
        float[][] x = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.1f, 0.9f}};
        assertEquals(1.0, TopicRetrieval.precisionAtK(x, new int[] {0, 0, 1, 1}, 1), 1e-12);
        assertEquals(0.0, TopicRetrieval.precisionAtK(x, new int[] {0, 1, 0, 1}, 1), 1e-12);
        // k = 2: the nearest other is the same topic, the next is not, for every query.
        assertEquals(0.5, TopicRetrieval.precisionAtK(x, new int[] {0, 0, 1, 1}, 2), 1e-12);
        // Scale does not matter (cosine), and the query itself is never retrieved.
        float[][] scaled = {{5, 0}, {0.9f, 0.1f}, {0, 3}, {0.1f, 0.9f}};
        assertEquals(1.0, TopicRetrieval.precisionAtK(scaled, new int[] {0, 0, 1, 1}, 1), 1e-12);
    }

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
        assertEquals((2.0 / 3 + 0.8) / 2, TopicMetrics.macroF1(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}, 2),
                1e-12);
        assertEquals(0.75, TopicMetrics.accuracy(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1}), 1e-12);
    }
}
