package org.taskbert.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/** For task tests: a field out of range, read by the real config loader, is refused by validate naming the field. */
public final class ConfigRanges {

    private ConfigRanges() {}

    /**
     * Writes a one-document corpus and {@code model: m, task: {type: TYPE, corpus: ...}} into {@code tmp}, applies
     * {@code override} as a {@code --set}, and asserts that validate refuses it with {@code field 'FIELD'} in the
     * message.
     */
    public static void assertFieldNamed(Path tmp, String taskType, String override, String field) throws IOException {
        Path corpus = Files.writeString(
                tmp.resolve("corpus.jsonl"), "{\"id\": \"1\", \"text\": \"A b c d.\", \"label\": \"x\"}\n");
        Path c = Files.writeString(
                tmp.resolve("c.yaml"),
                "model: m\ntask: {type: " + taskType + ", corpus: " + corpus + "}\noutput: " + tmp.resolve("run")
                        + "\n");
        ConfigLoader loader = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()));
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> loader.read(c, TrainConfig.class, List.of(override.strip()))
                        .validate(c.toString()));
        assertTrue(e.getMessage().contains("field '" + field.strip() + "'"), e.getMessage());
    }
}
