package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.spi.data.StsFile;
import org.taskbert.spi.data.StsPair;

/** Reads the real STS files of the shared data folder; a missing folder fails the test, never skips it. */
class RealStsDataTest {

    @Test
    void readsStsBenchmarkDev() throws IOException {
        StsFile sts = StsFile.read(SharedData.path("data/sts/stsb/dev.jsonl"));
        assertEquals(1500, sts.pairs().size());
        assertEquals(0, sts.skippedScores());
        assertEquals(
                new StsPair("A man with a hard hat is dancing.", "A man wearing a hard hat is dancing.", 5.0),
                sts.pairs().get(0));
        assertTrue(sts.pairs().stream().allMatch(p -> p.score() >= 0 && p.score() <= 5));
    }

    @Test
    void readsSickTrial() throws IOException {
        StsFile sts = StsFile.read(SharedData.path("data/sts/sick/trial.jsonl"));
        assertEquals(500, sts.pairs().size());
        assertEquals(0, sts.skippedScores());
        assertTrue(sts.pairs().stream().allMatch(p -> p.score() >= 1 && p.score() <= 5));
    }
}
