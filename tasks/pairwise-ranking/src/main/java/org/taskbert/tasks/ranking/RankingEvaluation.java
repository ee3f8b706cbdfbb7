package org.taskbert.tasks.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.taskbert.spi.eval.RankingMetrics;

/**
 * Ranks each dev query's positive among a candidate pool: every dev positive, then every dev hard negative; the score
 * is the cosine of the sentence vectors. Any encoder and pooling will do, trained or generic.
 */
public final class RankingEvaluation {

    private RankingEvaluation() {}

    /** The candidate pool of {@code dev}: all positives (query i's is candidate i), then all hard negatives. */
    public static List<String> pool(List<RankingExample> dev) {
        List<String> pool = new ArrayList<>(dev.size());
        dev.forEach(e -> pool.add(e.positive()));
        dev.stream().filter(RankingExample::hasNegative).forEach(e -> pool.add(e.negative()));
        return pool;
    }

    /** The texts to embed: the dev queries, then the {@link #pool}. */
    public static List<String> texts(List<RankingExample> dev) {
        List<String> texts =
                new ArrayList<>(dev.stream().map(RankingExample::query).toList());
        texts.addAll(pool(dev));
        return texts;
    }

    /** The metrics from the vectors of {@link #texts}, in that order: query i's target is candidate i. */
    public static RankingMetrics metrics(float[][] vectors, int queries) {
        return RankingMetrics.ofCosine(
                Arrays.copyOfRange(vectors, 0, queries),
                Arrays.copyOfRange(vectors, queries, vectors.length),
                IntStream.range(0, queries).toArray());
    }
}
