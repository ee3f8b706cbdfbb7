package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MRR@10 and recall@1/10 on rankings worked out by hand. */
class RankingMetricsTest {

    @Test
    void ranksCountEveryOtherCandidateScoringHigherOrEqual() {
        assertEquals(1, RankingMetrics.rank(new double[] {0.9, 0.1, 0.5}, 0));
        assertEquals(3, RankingMetrics.rank(new double[] {0.3, 0.2, 0.8}, 1));
        assertEquals(2, RankingMetrics.rank(new double[] {0.4, 0.7, 0.7}, 2), "a tie counts against the target");
        assertEquals(3, RankingMetrics.rank(new double[] {0.5, 0.5, 0.5}, 0), "all equal: ranked last, not first");
        assertEquals(3, RankingMetrics.rank(new double[] {Double.NaN, 0.1, 0.2}, 0), "a NaN target ranks last");
        assertEquals(2, RankingMetrics.rank(new double[] {0.9, Double.NaN, 0.2}, 0), "a NaN candidate counts against");
        assertEquals(1, RankingMetrics.rank(new double[] {-1}, 0), "a pool of one");
    }

    @Test
    void metricsFromScoresWorkedByHand() {
        double[][] scores = {
            {0.9, 0.1, 0.5}, // target 0: rank 1
            {0.3, 0.2, 0.8}, // target 1: rank 3
            {0.4, 0.7, 0.7}, // target 2: tied with candidate 1, rank 2
            {0.5, 0.5, 0.5}, // target 0: tied with both, rank 3
        };
        RankingMetrics m = RankingMetrics.ofScores(scores, new int[] {0, 1, 2, 0});
        assertEquals((1 + 1 / 3.0 + 1 / 2.0 + 1 / 3.0) / 4, m.mrrAt10(), 1e-12);
        assertEquals(0.25, m.recallAt1(), 1e-12);
        assertEquals(1.0, m.recallAt10(), 1e-12);
        assertEquals(4, m.queries());
    }

    @Test
    void ranksPastTenCountForNeitherMrrAt10NorRecallAt10() {
        RankingMetrics m = RankingMetrics.ofRanks(new int[] {1, 10, 11, 40});
        assertEquals((1 + 0.1) / 4, m.mrrAt10(), 1e-12);
        assertEquals(0.25, m.recallAt1(), 1e-12);
        assertEquals(0.5, m.recallAt10(), 1e-12);
        double[] scores = new double[12];
        for (int j = 0; j < 12; j++) {
            scores[j] = j; // target 0 scores lowest of 12: rank 12
        }
        assertEquals(12, RankingMetrics.rank(scores, 0));
        assertEquals(11, RankingMetrics.rank(scores, 1));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.ofRanks(new int[0]));
    }

    @Test
    void cosineRankingOfPlantedVectors() {
        float[][] queries = {{1, 0}, {0, 1}, {1, 1}, {0, 0}};
        float[][] candidates = {{2, 0}, {0, -1}, {1, 1.1f}};
        // q0: cos 1, 0, 0.673 -> target 0 first. q1: cos 0, -1, 0.740 -> target 1 third.
        // q2: cos 0.707, -0.707, 0.999 -> target 2 first. q3 (all zeros): cos 0 everywhere -> target 1 third.
        RankingMetrics m = RankingMetrics.ofCosine(queries, candidates, new int[] {0, 1, 2, 1});
        assertEquals((1 + 1 / 3.0 + 1 + 1 / 3.0) / 4, m.mrrAt10(), 1e-12);
        assertEquals(0.5, m.recallAt1(), 1e-12);
        Map<String, Double> named = m.named("dev");
        assertEquals(List.of("dev.mrr@10", "dev.recall@1", "dev.recall@10"), List.copyOf(named.keySet()));
        assertEquals(50.0, named.get("dev.recall@1"), 1e-9);
        assertEquals(100 * (1 + 1 / 3.0 + 1 + 1 / 3.0) / 4, named.get("dev.mrr@10"), 1e-9);
        assertEquals(100.0, named.get("dev.recall@10"), 1e-9);
    }
}
