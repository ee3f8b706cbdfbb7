package org.taskbert.spi;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Texts in, sentence vectors out (dropout off), one vector per text in input order. */
public interface SentenceEncoder {

    /** One vector per text for each pooling, optionally L2-normalised. */
    Map<Pooling, float[][]> embed(List<String> texts, Set<Pooling> poolings, boolean normalize);

    /** One vector per pair, the two texts in one input: [CLS] a [SEP] b [SEP]. */
    Map<Pooling, float[][]> embedPairs(List<String> first, List<String> second, Set<Pooling> poolings);

    default float[][] embed(List<String> texts, Pooling pooling) {
        return embed(texts, EnumSet.of(pooling), false).get(pooling);
    }
}
