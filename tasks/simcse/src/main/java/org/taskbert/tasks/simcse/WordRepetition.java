package org.taskbert.tasks.simcse;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.taskbert.spi.Encoding;

/**
 * ESimCSE's word repetition (Wu et al., 2022): the positive copy of a sentence repeats a few of its word pieces in
 * place, so that the two vectors of a pair differ in length and the encoder cannot match them by length alone. Of a
 * sentence's {@code L} word pieces (its [CLS] and [SEP] are kept single) it repeats {@code k} distinct ones, {@code
 * k} drawn uniformly from {@code 0 .. max(2, ⌊rate·L⌋)} and at most {@code L}; the copy is {@code k} pieces longer
 * than the cut sentence, as ESimCSE's is.
 */
record WordRepetition(double rate, long seed) {

    /** The repeated copies of a batch's encodings; the same batch always gets the same copies (exact resume). */
    List<Encoding> apply(List<Encoding> batch) {
        long h = seed;
        for (Encoding e : batch) {
            h = h * 1_000_003L + Arrays.hashCode(e.inputIds());
        }
        SplittableRandom random = new SplittableRandom(h);
        return batch.stream().map(e -> repeat(e, random)).toList();
    }

    Encoding repeat(Encoding e, SplittableRandom random) {
        int body = e.length() - 2;
        int k = body <= 0 ? 0 : Math.min(body, random.nextInt(Math.max(2, (int) (rate * body)) + 1));
        boolean[] twice = new boolean[e.length()];
        for (int chosen = 0; chosen < k; ) { // k distinct positions of 1 .. body
            int at = 1 + random.nextInt(body);
            if (!twice[at]) {
                twice[at] = true;
                chosen++;
            }
        }
        int[] ids = new int[e.length() + k];
        int[] types = new int[ids.length];
        for (int i = 0, o = 0; i < e.length(); i++) {
            int copies = twice[i] ? 2 : 1;
            for (int c = 0; c < copies; c++, o++) {
                ids[o] = e.inputIds()[i];
                types[o] = e.tokenTypeIds()[i];
            }
        }
        return new Encoding(ids, types, e.truncated());
    }
}
