package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmsUpThenDecaysToZero() {
        LearningRateSchedule s = new LearningRateSchedule(1e-4, 4, 10);
        assertEquals(1e-4 * 1 / 4, s.at(0), 0);
        assertEquals(1e-4 * 2 / 4, s.at(1), 0);
        assertEquals(1e-4, s.at(3), 0);
        assertEquals(1e-4, s.at(4), 0);
        assertEquals(1e-4 * 5 / 6, s.at(5), 0);
        assertEquals(1e-4 * 1 / 6, s.at(9), 0);
        assertEquals(0, s.at(10), 0);
        assertEquals(0, s.at(11), 0);
    }

    @Test
    void withoutWarmUpStartsAtThePeak() {
        LearningRateSchedule s = new LearningRateSchedule(2.0, 0, 4);
        assertEquals(2.0, s.at(0), 0);
        assertEquals(1.0, s.at(2), 0);
        assertEquals(0.5, s.at(3), 0);
    }

    @Test
    void warmUpOverTheWholeRun() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 4, 4);
        assertEquals(0.25, s.at(0), 0);
        assertEquals(1.0, s.at(3), 0);
        assertEquals(0, s.at(4), 0);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(Double.NaN, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, -1, 4));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 0, 4).at(-1));
    }
}
