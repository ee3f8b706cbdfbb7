package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Accuracy and macro-F1 against confusion matrices worked out by hand. */
class ClassificationMetricsTest {

    @Test
    void threeClasses() {
        int[] gold = {0, 0, 0, 1, 1, 2, 2, 2, 2, 0};
        int[] pred = {0, 0, 1, 1, 2, 2, 2, 0, 2, 0};
        ClassificationMetrics m = ClassificationMetrics.of(gold, pred, 3);
        assertArrayEquals(new int[] {3, 1, 0}, m.confusion()[0]);
        assertArrayEquals(new int[] {0, 1, 1}, m.confusion()[1]);
        assertArrayEquals(new int[] {1, 0, 3}, m.confusion()[2]);
        assertEquals(0.7, m.accuracy(), 1e-12);
        // F1 = 2TP/(2TP+FP+FN): class 0: 6/(6+1+1); class 1: 2/(2+1+1); class 2: 6/(6+1+1)
        assertEquals(0.75, m.f1(0), 1e-12);
        assertEquals(0.5, m.f1(1), 1e-12);
        assertEquals(0.75, m.f1(2), 1e-12);
        assertEquals(2.0 / 3, m.macroF1(), 1e-12);
    }

    @Test
    void aClassNeverPredictedCountsZeroAndAnAbsentClassIsLeftOut() {
        // class 2 occurs but is never predicted (F1 0); class 3 occurs nowhere (not averaged)
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0, 1, 2}, new int[] {0, 1, 1}, 4);
        assertEquals(2.0 / 3, m.accuracy(), 1e-12);
        assertEquals(0, m.f1(2), 1e-12);
        assertTrue(Double.isNaN(m.f1(3)));
        assertEquals((1 + 2.0 / 3 + 0) / 3, m.macroF1(), 1e-12);
    }
}
