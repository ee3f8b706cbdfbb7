package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.taskbert.fuzz.HostileInput;

/**
 * Fuzzes {@link StsFile#read} with whole files. Every pair it keeps has a finite score and the line it came from.
 * Seeds: {@code StsFileFuzzTestInputs/readsOrRefuses/}.
 */
class StsFileFuzzTest {

    private static final Path FILE = HostileInput.scratch("sts").resolve("sts.jsonl");

    @FuzzTest(maxDuration = "15s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsOrRefuses(byte[] input) throws Exception {
        Files.write(FILE, input);
        HostileInput.mustReadOrRefuse(HostileInput.OWN, () -> {
            StsFile sts = StsFile.read(FILE);
            assertEquals(sts.pairs().size(), sts.pairLines().length);
            long previous = 0;
            for (int i = 0; i < sts.pairs().size(); i++) {
                assertTrue(Double.isFinite(sts.pairs().get(i).score()), "a kept score is finite");
                assertTrue(sts.lineOf(i) > previous, "pairs in line order");
                previous = sts.lineOf(i);
            }
            assertTrue(sts.skippedScores() == 0 || sts.firstSkippedLine() > 0, "a skip names its line");
        });
    }
}
