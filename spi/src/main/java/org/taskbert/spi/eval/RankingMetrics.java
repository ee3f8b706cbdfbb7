package org.taskbert.spi.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Retrieval metrics over a candidate pool, from the rank of each query's one relevant candidate.
 *
 * <p>Ties are counted against the query: the rank is 1 + the number of other candidates scoring higher <em>or
 * equal</em>. So a model that gives every candidate the same score ranks each target last, not first, and a tie
 * never earns a hit. A NaN score (of the target or a candidate) also counts against the query.
 *
 * @param mrrAt10 the mean over queries of 1/rank, or 0 when the rank is over 10
 * @param recallAt1 the fraction of queries whose target is ranked first
 * @param recallAt10 the fraction of queries whose target is in the top 10
 */
public record RankingMetrics(double mrrAt10, double recallAt1, double recallAt10, int queries) {

    /** The target's rank (1-based) among {@code scores}, ties and NaN counted against it. */
    public static int rank(double[] scores, int target) {
        double t = scores[target];
        int rank = 1;
        for (int j = 0; j < scores.length; j++) {
            if (j != target && (Double.isNaN(t) || Double.isNaN(scores[j]) || scores[j] >= t)) {
                rank++;
            }
        }
        return rank;
    }

    /** From each query's rank. */
    public static RankingMetrics ofRanks(int[] ranks) {
        if (ranks.length == 0) {
            throw new IllegalArgumentException("no queries to rank");
        }
        double rr = 0;
        int at1 = 0;
        int at10 = 0;
        for (int r : ranks) {
            if (r <= 10) {
                rr += 1.0 / r;
                at10++;
            }
            at1 += r == 1 ? 1 : 0;
        }
        return new RankingMetrics(
                rr / ranks.length, (double) at1 / ranks.length, (double) at10 / ranks.length, ranks.length);
    }

    /** Query i's target is candidate {@code targets[i]}; {@code scores[i][j]} scores query i against candidate j. */
    public static RankingMetrics ofScores(double[][] scores, int[] targets) {
        int[] ranks = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            ranks[i] = rank(scores[i], targets[i]);
        }
        return ofRanks(ranks);
    }

    /** Candidates scored by the cosine of their vector with the query's (0 against an all-zero vector). */
    public static RankingMetrics ofCosine(float[][] queries, float[][] candidates, int[] targets) {
        double[][] q = unit(queries);
        double[][] c = unit(candidates);
        double[][] scores = new double[q.length][c.length];
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < c.length; j++) {
                double dot = 0;
                for (int k = 0; k < q[i].length; k++) {
                    dot += q[i][k] * c[j][k];
                }
                scores[i][j] = dot;
            }
        }
        return ofScores(scores, targets);
    }

    private static double[][] unit(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double sq = 0;
            for (float x : rows[i]) {
                sq += (double) x * x;
            }
            double inv = sq == 0 ? 0 : 1 / Math.sqrt(sq);
            out[i] = new double[rows[i].length];
            for (int k = 0; k < rows[i].length; k++) {
                out[i][k] = rows[i][k] * inv;
            }
        }
        return out;
    }

    /** {@code PREFIX.mrr@10}, {@code PREFIX.recall@1}, {@code PREFIX.recall@10}, ×100 (as STS Spearman is). */
    public Map<String, Double> named(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + ".mrr@10", 100 * mrrAt10);
        m.put(prefix + ".recall@1", 100 * recallAt1);
        m.put(prefix + ".recall@10", 100 * recallAt10);
        return m;
    }
}
