package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The fused kernels against double-precision math and against the ND4J ops they replace. */
class FusedOpsTest {

    @Test
    void erfIsWithinHalfAMillionthOfTheDoublePrecisionErf() {
        double worst = 0;
        for (double x = -7; x <= 7; x += 1e-4) {
            worst = Math.max(worst, Math.abs(FusedOps.erf((float) x) - Erf.erf((float) x)));
        }
        assertTrue(worst < 5e-7, "max |erf error| " + worst);
        assertEquals(1f, FusedOps.erf(30f));
        assertEquals(-1f, FusedOps.erf(Float.NEGATIVE_INFINITY));
    }

    @Test
    void geluMatchesTheErfFormulaInDoublePrecision() {
        // A view at an offset inside a larger buffer, as the encoder's reused buffers are.
        INDArray flat = Nd4j.randn(DataType.FLOAT, 3 * 40_000L).muli(3);
        INDArray x = flat.get(NDArrayIndex.interval(40_000, 100_000)).reshape(60, 1000);
        float[] before = x.dup().data().asFloat();
        float[] untouched = flat.get(NDArrayIndex.interval(100_000, 120_000)).dup().data().asFloat();
        FusedOps.gelu(x);
        float[] after = x.dup().data().asFloat();
        double worst = 0;
        for (int i = 0; i < before.length; i++) {
            double v = before[i];
            worst = Math.max(worst, Math.abs(after[i] - 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)))));
        }
        assertTrue(worst < 2e-6, "max |gelu error| " + worst);
        assertArrayEqualsExactly(untouched, flat.get(NDArrayIndex.interval(100_000, 120_000)).dup().data().asFloat());
    }

    @Test
    void layerNormMatchesNd4jArithmetic() {
        INDArray x = Nd4j.randn(DataType.FLOAT, 37, 96).muli(4).addi(2);
        INDArray gain = Nd4j.rand(DataType.FLOAT, 1, 96);
        INDArray bias = Nd4j.randn(DataType.FLOAT, 1, 96);
        INDArray expected = x.sub(x.mean(true, 1));
        INDArray var = expected.mul(expected).mean(true, 1).addi(1e-12);
        expected.diviColumnVector(Transforms.sqrt(var)).muliRowVector(gain).addiRowVector(bias);
        FusedOps.layerNorm(x, gain.toFloatVector(), bias.toFloatVector(), 1e-12);
        assertTrue(x.equalsWithEps(expected, 2e-5), "max difference " + x.sub(expected).amaxNumber());
    }

    @Test
    void scatterThenGatherRowsRoundTripsAndLeavesOtherRowsAlone() {
        INDArray packed = Nd4j.randn(DataType.FLOAT, 3, 5);
        int[] rows = {0, 2, 6};
        INDArray padded = Nd4j.valueArrayOf(new long[] {8, 5}, 7f, DataType.FLOAT);
        FusedOps.scatterRows(packed, rows, padded);
        for (int i = 0; i < rows.length; i++) {
            assertEquals(packed.getRow(i), padded.getRow(rows[i]));
        }
        assertEquals(Nd4j.valueArrayOf(new long[] {5}, 7f, DataType.FLOAT), padded.getRow(1));
        INDArray back = Nd4j.create(DataType.FLOAT, 3, 5);
        FusedOps.gatherRows(padded, rows, back);
        assertEquals(packed, back);
    }

    private static void assertArrayEqualsExactly(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0f, "element " + i);
        }
    }
}
