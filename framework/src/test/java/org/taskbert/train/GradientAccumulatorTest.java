package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientAccumulatorTest {

    private static Map<String, INDArray> batch(float a, float b) {
        return Map.of("w", Nd4j.createFromArray(a, b), "b", Nd4j.createFromArray(a - b));
    }

    @Test
    void averagesTheMicroBatches() {
        GradientAccumulator acc = new GradientAccumulator();
        acc.add(batch(1, 2));
        acc.add(batch(3, 6));
        acc.add(batch(5, 1));
        assertEquals(3, acc.count());
        assertArrayEquals(new float[] {3f, 3f}, acc.averaged().get("w").data().asFloat(), 1e-6f);
        assertArrayEquals(new float[] {0f}, acc.averaged().get("b").data().asFloat(), 1e-6f);
    }

    @Test
    void doesNotAliasItsInputs() {
        GradientAccumulator acc = new GradientAccumulator();
        Map<String, INDArray> first = batch(1, 2);
        acc.add(first);
        first.get("w").assign(100);
        Map<String, INDArray> second = batch(3, 4);
        acc.add(second);
        second.get("w").assign(-100);
        assertArrayEquals(new float[] {2f, 3f}, acc.averaged().get("w").data().asFloat(), 1e-6f);
        assertArrayEquals(new float[] {100f, 100f}, first.get("w").data().asFloat());
    }

    @Test
    void startsAfreshAfterReset() {
        GradientAccumulator acc = new GradientAccumulator();
        acc.add(batch(1, 2));
        acc.add(batch(3, 4));
        acc.averaged();
        assertThrows(IllegalStateException.class, () -> acc.add(batch(0, 0)));
        acc.reset();
        assertEquals(0, acc.count());
        assertThrows(IllegalStateException.class, acc::averaged);
        acc.add(batch(7, 8));
        assertArrayEquals(new float[] {7f, 8f}, acc.averaged().get("w").data().asFloat());
        acc.reset();
        acc.add(batch(1, 1));
        assertThrows(IllegalArgumentException.class, () -> acc.add(Map.of("w", Nd4j.createFromArray(1f, 1f))));
    }
}
