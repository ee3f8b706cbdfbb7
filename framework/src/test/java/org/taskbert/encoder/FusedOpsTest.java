package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

/** FusedOps.erf against double-precision erf (the GELU kernels are checked in KernelsTest). */
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
}
