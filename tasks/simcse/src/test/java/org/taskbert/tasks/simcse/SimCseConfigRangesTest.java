package org.taskbert.tasks.simcse;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.config.ConfigRanges;

/** The task's numeric fields out of range, read by the real config loader: validate names the field. */
class SimCseConfigRangesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "task.min_words=-1 | task.min_words",
                "task.sentences_per_epoch=-1 | task.sentences_per_epoch",
                "task.next_weight=NaN | task.next_weight",
                "task.temperature=Infinity | task.temperature",
                "task.temperature=NaN | task.temperature",
                "task.max_docs=-2 | task.max_docs",
                "task.repetition=1.5 | task.repetition",
                "task.repetition=NaN | task.repetition",
            })
    void aFieldOutOfRangeIsNamed(String override, String field) throws IOException {
        ConfigRanges.assertFieldNamed(tmp, "simcse", override, field);
    }
}
