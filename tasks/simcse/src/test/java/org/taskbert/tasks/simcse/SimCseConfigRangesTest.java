package org.taskbert.tasks.simcse;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.config.ConfigLoader;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

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
            })
    void aFieldOutOfRangeIsNamed(String override, String field) throws IOException {
        Path corpus = Files.writeString(
                tmp.resolve("corpus.jsonl"), "{\"id\": \"1\", \"text\": \"A b c d.\", \"label\": \"x\"}\n");
        Path c = Files.writeString(
                tmp.resolve("c.yaml"),
                "model: m\ntask: {type: simcse, corpus: " + corpus + "}\noutput: " + tmp.resolve("run") + "\n");
        ConfigLoader loader = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader.read(c, TrainConfig.class, List.of(override.strip()))
                        .validate(c.toString()));
        assertTrue(e.getMessage().contains("field '" + field.strip() + "'"), e.getMessage());
    }
}
