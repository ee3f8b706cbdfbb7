package org.taskbert;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read-only {@code ../shared} folder beside the repository (system property
 * {@code taskbert.shared}). Tests that need it fail, never skip, when it is missing.
 */
public final class SharedData {

    private SharedData() {}

    public static Path path(String relative) {
        String root = System.getProperty("taskbert.shared");
        // Without the property (an IDE run) the working directory is the repo root or a module in it.
        Path base = root != null
                ? Path.of(root)
                : Files.isDirectory(Path.of("..", "shared")) ? Path.of("..", "shared") : Path.of("..", "..", "shared");
        Path p = base.resolve(relative).normalize();
        if (!Files.exists(p)) {
            fail("shared data missing: " + p.toAbsolutePath() + " (set -Dtaskbert.shared to the shared/ folder)");
        }
        return p;
    }
}
