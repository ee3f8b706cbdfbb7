package org.taskbert.tasks.cross;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.config.ConfigRanges;

/** The task's numeric fields out of range, read by the real config loader: validate names the field. */
class CrossNspConfigRangesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "task.pairs_per_epoch=0 | task.pairs_per_epoch",
                "task.pairs_per_epoch=-5 | task.pairs_per_epoch",
                "task.max_docs=-1 | task.max_docs",
            })
    void aFieldOutOfRangeIsNamed(String override, String field) throws IOException {
        ConfigRanges.assertFieldNamed(tmp, "cross-nsp", override, field);
    }
}
