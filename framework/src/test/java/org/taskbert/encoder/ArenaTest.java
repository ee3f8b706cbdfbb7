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

    /** Reads and writes across the borders of its NIO segments land where views and BLAS pointers see them. */
    @Test
    void readsAndWritesCrossSegmentBorders() {
        Arena a = new Arena(1000, 64);
        float[] ramp = new float[300];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i + 1;
        }
        a.write(50, ramp, 0, ramp.length); // segments 0 to 5
        INDArray v = a.view(50, 300);
        for (int i = 0; i < ramp.length; i++) {
            assertEquals(i + 1, v.getFloat(i), 0f, "view at " + i);
            assertEquals(i + 1, a.get(50 + i), 0f, "get at " + i);
        }
        float[] back = new float[130];
        a.read(60, back, 0, 130);
        for (int i = 0; i < back.length; i++) {
            assertEquals(11 + i, back[i], 0f);
        }
        a.put(127, -1f);
        a.put(128, -2f);
        assertEquals(-1f, v.getFloat(77), 0f);
        assertEquals(-2f, v.getFloat(78), 0f);
        assertEquals(0f, a.get(49), 0f);
        assertEquals(0f, a.get(350), 0f);
    }
}
