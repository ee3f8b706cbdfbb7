package org.taskbert.tasks.simcse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.taskbert.spi.Encoding;

/** ESimCSE's repetition: what a copy may and may not differ in, how many pieces it repeats, and its determinism. */
class WordRepetitionTest {

    private static final int CLS = 101;
    private static final int SEP = 102;

    /** [CLS] 1000 .. 1000+body−1 [SEP]: distinct pieces, so each repeated one is recognisable. */
    private static Encoding sentence(int body) {
        int[] ids = new int[body + 2];
        ids[0] = CLS;
        ids[body + 1] = SEP;
        for (int i = 1; i <= body; i++) {
            ids[i] = 999 + i;
        }
        return new Encoding(ids, new int[ids.length], false);
    }

    @Test
    void aCopyIsTheSentenceWithSomePiecesRepeatedInPlace() {
        WordRepetition rep = new WordRepetition(0.32, 42);
        SplittableRandom random = new SplittableRandom(1);
        int maxSeen = 0;
        int zeros = 0;
        for (int trial = 0; trial < 2000; trial++) {
            Encoding e = sentence(25);
            int[] copy = rep.repeat(e, random).inputIds();
            int k = copy.length - e.length();
            assertTrue(k >= 0 && k <= 8, "k in 0 .. max(2, floor(0.32 * 25)) = 8, got " + k);
            maxSeen = Math.max(maxSeen, k);
            zeros += k == 0 ? 1 : 0;
            assertEquals(CLS, copy[0]);
            assertTrue(copy[1] != CLS, "[CLS] stays single");
            assertEquals(SEP, copy[copy.length - 1]);
            assertTrue(copy[copy.length - 2] != SEP, "[SEP] stays single");
            // Collapsing each run of equal pieces gives the sentence back, and no piece appears more than twice.
            List<Integer> collapsed = new ArrayList<>();
            int run = 0;
            for (int i = 0; i < copy.length; i++) {
                run = i > 0 && copy[i] == copy[i - 1] ? run + 1 : 1;
                assertTrue(run <= 2, "a piece repeated more than once");
                if (run == 1) {
                    collapsed.add(copy[i]);
                }
            }
            assertArrayEquals(
                    e.inputIds(), collapsed.stream().mapToInt(Integer::intValue).toArray());
        }
        assertEquals(8, maxSeen, "the upper bound is drawn");
        assertTrue(zeros > 2000 / 9 / 2 && zeros < 2000 / 9 * 2, "k = 0 about one time in nine, got " + zeros);
    }

    @Test
    void aShortSentenceStillMayRepeatTwoPiecesButNeverMoreThanItHas() {
        WordRepetition rep = new WordRepetition(0.32, 42);
        SplittableRandom random = new SplittableRandom(2);
        boolean sawTwo = false;
        for (int trial = 0; trial < 500; trial++) {
            int k1 = rep.repeat(sentence(1), random).length() - 3;
            assertTrue(k1 == 0 || k1 == 1, "one piece: k ≤ 1, got " + k1);
            int k3 = rep.repeat(sentence(3), random).length() - 5;
            assertTrue(k3 >= 0 && k3 <= 2, "max(2, floor(0.32 * 3)) = 2, got " + k3);
            sawTwo |= k3 == 2;
            assertEquals(2, rep.repeat(sentence(0), random).length(), "[CLS] [SEP] alone is left as it is");
        }
        assertTrue(sawTwo);
    }

    @Test
    void theSameBatchGetsTheSameCopiesAndAnotherSeedOthers() {
        List<Encoding> batch =
                IntStream.range(0, 16).mapToObj(i -> sentence(10 + i)).toList();
        List<Encoding> a = new WordRepetition(0.32, 42).apply(batch);
        List<Encoding> b = new WordRepetition(0.32, 42).apply(batch);
        List<Encoding> other = new WordRepetition(0.32, 43).apply(batch);
        boolean differs = false;
        for (int i = 0; i < batch.size(); i++) {
            assertArrayEquals(a.get(i).inputIds(), b.get(i).inputIds());
            assertEquals(a.get(i).length(), a.get(i).tokenTypeIds().length);
            differs |=
                    !java.util.Arrays.equals(a.get(i).inputIds(), other.get(i).inputIds());
        }
        assertTrue(differs, "another seed draws other repetitions");
    }
}
