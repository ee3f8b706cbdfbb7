package org.taskbert.tasks.document;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.config.ConfigRanges;

/** The task's numeric fields out of range, read by the real config loader: validate names the field. */
class DocumentConfigRangesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "task.max_length=2 | task.max_length",
                "task.temperature=Infinity | task.temperature",
                "task.kmeans_restarts=0 | task.kmeans_restarts",
                "task.max_docs=-1 | task.max_docs",
            })
    void aFieldOutOfRangeIsNamed(String override, String field) throws IOException {
        ConfigRanges.assertFieldNamed(tmp, "document", override, field);
    }
}
