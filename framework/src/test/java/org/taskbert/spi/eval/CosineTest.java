package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CosineTest {

    @Test
    void knownValues() {
        assertEquals(32 / Math.sqrt(14 * 77), Cosine.cosine(new float[] {1, 2, 3}, new float[] {4, 5, 6}), 1e-15);
        assertEquals(1.0, Cosine.cosine(new float[] {1, -2, 3}, new float[] {2, -4, 6}), 1e-15);
        assertEquals(-1.0, Cosine.cosine(new float[] {1, -2, 3}, new float[] {-0.5f, 1, -1.5f}), 1e-15);
        assertEquals(0.0, Cosine.cosine(new float[] {1, 0}, new float[] {0, 3}), 0);
    }

    @Test
    void accumulatesInDoubleSoLargeFloatsDoNotOverflow() {
        assertEquals(Math.sqrt(0.5), Cosine.cosine(new float[] {1e30f, 0}, new float[] {1e30f, 1e30f}), 1e-15);
    }

    @Test
    void zeroVectorGivesZero() {
        assertEquals(0.0, Cosine.cosine(new float[] {0, 0}, new float[] {1, 2}), 0);
        assertEquals(0.0, Cosine.cosine(new float[] {0, 0}, new float[] {0, 0}), 0);
        assertEquals(0.0, Cosine.cosine(new float[0], new float[0]), 0);
    }

    @Test
    void rejectsDifferentLengths() {
        assertThrows(IllegalArgumentException.class, () -> Cosine.cosine(new float[2], new float[3]));
    }
}
