package org.taskbert.tasks.ranking;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.config.ConfigRanges;

/** The task's numeric fields out of range, read by the real config loader: validate names the field. */
class PairwiseRankingConfigRangesTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "task.max_docs=-1 | task.max_docs",
                "task.scale=Infinity | task.scale",
                "task.margin=NaN | task.margin",
                "task.eval_max_length=2 | task.eval_max_length",
            })
    void aFieldOutOfRangeIsNamed(String override, String field) throws IOException {
        ConfigRanges.assertFieldNamed(tmp, "pairwise-ranking", override, field);
    }
}
