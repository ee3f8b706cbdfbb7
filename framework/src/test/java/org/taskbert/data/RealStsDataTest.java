package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reads the real STS files under the shared data folder: system property {@code taskbert.shared}, by default
 * {@code ../shared} next to the repository root. A missing folder fails the test; it is never skipped.
 */
class RealStsDataTest {

    static Path sharedFolder() {
        String property = System.getProperty("taskbert.shared");
        Path shared = property != null ? Path.of(property) : defaultSharedFolder();
        if (!Files.isDirectory(shared.resolve("data/sts"))) {
            fail("shared data folder " + shared.toAbsolutePath().normalize() + " has no data/sts; point system property "
                    + "taskbert.shared at the folder that holds data/sts/stsb/dev.jsonl");
        }
        return shared;
    }

    /** {@code ../shared} relative to the repository root, found as the nearest folder holding framework/pom.xml. */
    private static Path defaultSharedFolder() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("framework/pom.xml"))) {
                return dir.resolveSibling("shared");
            }
        }
        return fail("cannot find the repository root (a folder holding framework/pom.xml) above " + start
                + "; set system property taskbert.shared");
    }

    @Test
    void readsStsBenchmarkDev() throws IOException {
        StsFile sts = StsFile.read(sharedFolder().resolve("data/sts/stsb/dev.jsonl"));
        assertEquals(1500, sts.pairs().size());
        assertEquals(0, sts.skippedScores());
        assertEquals(new StsPair("A man with a hard hat is dancing.", "A man wearing a hard hat is dancing.", 5.0),
                sts.pairs().get(0));
        assertTrue(sts.pairs().stream().allMatch(p -> p.score() >= 0 && p.score() <= 5));
    }

    @Test
    void readsSickTrial() throws IOException {
        StsFile sts = StsFile.read(sharedFolder().resolve("data/sts/sick/trial.jsonl"));
        assertEquals(500, sts.pairs().size());
        assertEquals(0, sts.skippedScores());
        assertTrue(sts.pairs().stream().allMatch(p -> p.score() >= 1 && p.score() <= 5));
    }
}
