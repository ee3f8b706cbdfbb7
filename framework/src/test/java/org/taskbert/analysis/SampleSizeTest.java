package org.taskbert.analysis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SampleSizeTest {

    @Test
    void failsWithAReadableMessageBelowTheMinimum() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> SampleSize.require("topic probe", "labelled sentences", 37, 500));
        assertEquals("topic probe needs at least 500 labelled sentences, the corpus gave 37", e.getMessage());
        assertEquals(
                "STS probe needs at least 200 samples, the corpus gave 199",
                assertThrows(IllegalArgumentException.class, () -> SampleSize.require("STS probe", 199, 200))
                        .getMessage());
    }

    @Test
    void passesAtOrAboveTheMinimum() {
        assertDoesNotThrow(() -> SampleSize.require("topic probe", 500, 500));
        assertDoesNotThrow(() -> SampleSize.require("topic probe", "labelled sentences", 501, 500));
    }
}
