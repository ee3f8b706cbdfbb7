package org.taskbert.tasks.ranking;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.tokenize.Encoding;

/**
 * Ranks each dev query's positive among a candidate pool: every dev positive, then every dev hard negative; the score
 * is the cosine of the sentence vectors. Any encoder and pooling will do, trained or generic.
 */
public final class RankingEvaluation {

    private RankingEvaluation() {
    }

    /** The candidate pool of {@code dev}: all positives (query i's is candidate i), then all hard negatives. */
    public static List<String> pool(List<RankingExample> dev) {
        List<String> pool = new ArrayList<>(dev.size());
        dev.forEach(e -> pool.add(e.positive()));
        dev.stream().filter(RankingExample::hasNegative).forEach(e -> pool.add(e.negative()));
        return pool;
    }

    /** The metrics for each pooling, with queries and candidates cut to {@code maxLength} tokens. */
    public static Map<Pooling, RankingMetrics> evaluate(TextEncoder encoder, List<RankingExample> dev,
            Set<Pooling> poolings, int maxLength, Encoder.Progress progress) {
        List<Encoding> texts = new ArrayList<>();
        dev.forEach(e -> texts.add(encoder.tokenizer().encode(e.query(), maxLength)));
        pool(dev).forEach(t -> texts.add(encoder.tokenizer().encode(t, maxLength)));
        Map<Pooling, float[][]> vectors = encoder.encoder().encode(texts, poolings, progress);
        int n = dev.size();
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = i;
        }
        Map<Pooling, RankingMetrics> out = new EnumMap<>(Pooling.class);
        vectors.forEach((p, v) -> out.put(p, RankingMetrics.ofCosine(java.util.Arrays.copyOfRange(v, 0, n),
                java.util.Arrays.copyOfRange(v, n, v.length), targets)));
        return out;
    }
}
