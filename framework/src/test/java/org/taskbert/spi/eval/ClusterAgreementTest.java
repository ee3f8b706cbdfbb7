package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ARI and V-measure on cases worked out by hand. */
class ClusterAgreementTest {

    @Test
    void adjustedRandIndexByHand() {
        // Pairs together in both: 2; class pairs 3+3 = 6; cluster pairs 1+1+1 = 3; all pairs 15.
        // expected = 6·3/15 = 1.2, max = 4.5: ARI = 0.8/3.3.
        assertEquals(
                0.8 / 3.3,
                ClusterAgreement.adjustedRand(new int[] {0, 0, 0, 1, 1, 1}, new int[] {0, 0, 1, 1, 2, 2}),
                1e-12);
        assertEquals(1.0, ClusterAgreement.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {5, 5, 3, 3}), 1e-12);
        // A clustering that splits every class evenly: index 0, expected 2·2/6: (0 − 2/3)/(2 − 2/3) = −0.5.
        assertEquals(-0.5, ClusterAgreement.adjustedRand(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    }

    @Test
    void vMeasureByHand() {
        // Homogeneity 1 (pure clusters); completeness 1 − H(K|C)/H(K) = 1 − 0.5·ln2/(1.5·ln2) = 2/3; V = 0.8.
        assertEquals(0.8, ClusterAgreement.vMeasure(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}), 1e-12);
        assertEquals(1.0, ClusterAgreement.vMeasure(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-12);
        assertEquals(0.0, ClusterAgreement.vMeasure(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}), 1e-12);
    }
}
