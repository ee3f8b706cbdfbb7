package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Views write through to the arena (the optimiser updates the encoder's weights through them), at any offset. */
class ArenaTest {

    @Test
    void viewsShareTheArenasMemory() {
        Arena a = new Arena(1000);
        INDArray v = a.view(37, 3, 5);
        v.putScalar(1, 2, 7f);
        assertEquals(7f, a.get(37 + 5 + 2));
        INDArray row = a.view(100, 8);
        row.addi(1.5);
        assertEquals(1.5f, a.get(107));
        a.write(200, new float[] {4f}, 0, 1);
        assertEquals(4f, a.view(200, 1, 1).getFloat(0), "and the other way round");
        assertEquals(0f, a.get(36), "nothing outside the view");
    }
}
