package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientClippingTest {

    /** Global norm sqrt(3² + 4² + 12²) = 13. */
    private static Map<String, INDArray> grads() {
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("a", Nd4j.createFromArray(new float[][] {{3f}, {4f}}));
        g.put("b", Nd4j.createFromArray(-12f));
        return g;
    }

    @Test
    void scalesToTheMaximumNorm() {
        Map<String, INDArray> g = grads();
        assertEquals(13.0, GradientClipping.clipByGlobalNorm(g, 6.5), 1e-6);
        assertArrayEquals(new float[] {1.5f, 2f}, g.get("a").data().asFloat(), 1e-5f);
        assertArrayEquals(new float[] {-6f}, g.get("b").data().asFloat(), 1e-5f);
        double after = GradientClipping.clipByGlobalNorm(g, 0);
        assertTrue(after <= 6.5 && after > 6.5 - 1e-5, "norm after clipping " + after);
    }

    @Test
    void leavesSmallNormsAndDisabledClippingAlone() {
        Map<String, INDArray> g = grads();
        assertEquals(13.0, GradientClipping.clipByGlobalNorm(g, 13.5), 1e-6);
        assertEquals(13.0, GradientClipping.clipByGlobalNorm(g, 0), 1e-6);
        assertEquals(13.0, GradientClipping.clipByGlobalNorm(g, -1), 1e-6);
        assertArrayEquals(new float[] {3f, 4f}, g.get("a").data().asFloat());
        assertArrayEquals(new float[] {-12f}, g.get("b").data().asFloat());
    }

    @Test
    void nonFiniteNormIsReportedWithoutTouchingTheGradients() {
        Map<String, INDArray> g = grads();
        g.put("c", Nd4j.createFromArray(Float.NaN));
        assertTrue(Double.isNaN(GradientClipping.clipByGlobalNorm(g, 1)));
        assertArrayEquals(new float[] {3f, 4f}, g.get("a").data().asFloat());
        assertEquals(0.0, GradientClipping.clipByGlobalNorm(Map.of(), 1), 0);
    }
}
