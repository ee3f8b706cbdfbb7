package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Precision@k of cosine retrieval on cases worked out by hand. */
class RetrievalTest {

    @Test
    void precisionAtKByHand() {
        float[][] x = {{1, 0}, {0.9f, 0.1f}, {0, 1}, {0.1f, 0.9f}};
        assertEquals(1.0, Retrieval.precisionAtK(x, new int[] {0, 0, 1, 1}, 1), 1e-12);
        assertEquals(0.0, Retrieval.precisionAtK(x, new int[] {0, 1, 0, 1}, 1), 1e-12);
        // k = 2: the nearest other is the same topic, the next is not, for every query.
        assertEquals(0.5, Retrieval.precisionAtK(x, new int[] {0, 0, 1, 1}, 2), 1e-12);
        // Scale does not matter (cosine), and the query itself is never retrieved.
        float[][] scaled = {{5, 0}, {0.9f, 0.1f}, {0, 3}, {0.1f, 0.9f}};
        assertEquals(1.0, Retrieval.precisionAtK(scaled, new int[] {0, 0, 1, 1}, 1), 1e-12);
    }
}
