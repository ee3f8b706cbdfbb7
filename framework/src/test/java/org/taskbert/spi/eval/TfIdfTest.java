package org.taskbert.spi.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TfIdfTest {

    @Test
    void tfIdfOnAToyCorpus() {
        TfIdf t = TfIdf.fit(List.of("Apple banana.", "apple cherry", "APPLE banana", "durian"), 10);
        // df: apple 3, banana 2; cherry and durian occur once and are left out.
        assertEquals(List.of("apple", "banana"), t.terms());
        double apple = Math.log(5.0 / 4) + 1;
        double banana = Math.log(5.0 / 3) + 1;
        float[][] v = t.transform(List.of("apple banana banana", "kiwi", "banana"));
        double norm = Math.sqrt(apple * apple + 4 * banana * banana);
        assertEquals(apple / norm, v[0][0], 1e-6);
        assertEquals(2 * banana / norm, v[0][1], 1e-6);
        assertArrayEquals(new float[] {0, 0}, v[1]);
        assertArrayEquals(new float[] {0, 1}, v[2]);
        assertEquals(
                List.of("apple"),
                TfIdf.fit(List.of("apple banana", "apple banana", "apple"), 1).terms());
    }
}
