package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static void assertPartition(int n, int[][] split) {
        int[] all = IntStream.concat(Arrays.stream(split[0]), Arrays.stream(split[1]))
                .sorted()
                .toArray();
        assertArrayEquals(IntStream.range(0, n).toArray(), all, "disjoint and covering");
    }

    @Test
    void trainTestIsADisjointCoverOfTheRightSize() {
        int[][] split = Splits.trainTest(100, 0.2, 7);
        assertEquals(80, split[0].length);
        assertEquals(20, split[1].length);
        assertPartition(100, split);
        assertArrayEquals(split[1], Splits.trainTest(100, 0.2, 7)[1], "same seed, same split");
        assertFalse(Arrays.equals(split[1], Splits.trainTest(100, 0.2, 8)[1]), "another seed, another split");
        assertFalse(Arrays.equals(split[1], IntStream.range(80, 100).toArray()), "shuffled, not a tail");
    }

    @Test
    void stratifiedKeepsClassProportions() {
        int[] labels = new int[1000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 7; // 60% / 30% / 10%
        }
        int[][] split = Splits.stratified(labels, 0.25, 3);
        assertPartition(1000, split);
        int[] test = Splits.pick(labels, split[1]);
        assertEquals(250, test.length);
        assertEquals(150, Arrays.stream(test).filter(c -> c == 0).count());
        assertEquals(75, Arrays.stream(test).filter(c -> c == 1).count());
        assertEquals(25, Arrays.stream(test).filter(c -> c == 7).count());
    }

    @Test
    void stratifiedKeepsEveryClassInTraining() {
        int[] labels = {0, 0, 0, 0, 1, 2, 2};
        int[][] split = Splits.stratified(labels, 0.5, 1);
        assertPartition(labels.length, split);
        int[] train = Splits.pick(labels, split[0]);
        for (int c = 0; c < 3; c++) {
            int label = c;
            assertTrue(Arrays.stream(train).anyMatch(l -> l == label), "class " + c + " in training");
        }
        assertEquals(3, split[1].length); // 2 of class 0, none of the singleton, 1 of class 2
    }

    @Test
    void tooSmallSamplesFailWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splits.trainTest(3, 0.1, 1));
        assertTrue(e.getMessage().contains("sample too small"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.trainTest(1, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.trainTest(0, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.stratified(new int[] {0, 1, 2}, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.trainTest(10, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Splits.trainTest(10, 1, 1));
    }

    @Test
    void rowsAndPickFollowTheIndices() {
        float[][] x = {{0}, {1}, {2}, {3}};
        int[] idx = {3, 1};
        float[][] rows = Splits.rows(x, idx);
        assertSame(x[3], rows[0]);
        assertSame(x[1], rows[1]);
        assertArrayEquals(new int[] {13, 11}, Splits.pick(new int[] {10, 11, 12, 13}, idx));
        assertArrayEquals(new double[] {0.3, 0.1}, Splits.pick(new double[] {0, 0.1, 0.2, 0.3}, idx));
    }
}
