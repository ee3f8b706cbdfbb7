package org.taskbert.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.train.TrainConfig;

/** The config loader refuses what a careless user or a hostile file gives it, naming the file, line and field. */
class ConfigLoaderTest {

    @TempDir
    Path tmp;

    private final ConfigLoader loader = new ConfigLoader();

    private Path yaml(String text) throws IOException {
        return Files.writeString(tmp.resolve("c.yaml"), text);
    }

    private ConfigException refused(Path file, List<String> overrides) {
        return assertThrows(ConfigException.class, () -> loader.read(file, TrainConfig.class, overrides));
    }

    private static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message should contain '" + f + "': " + message);
        }
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingTheKeyAndItsLine() throws IOException {
        Path c = yaml("model: m\ntraining:\n  steps: 5\nseed: 1\ntraining:\n  lr: 0.1\n");
        String m = refused(c, List.of()).getMessage();
        assertContains(m, c.toString(), "duplicate key 'training'", "line 5");
    }

    @Test
    void aDuplicateNestedKeyNamesItsPath() throws IOException {
        Path c = yaml("model: m\ntraining:\n  steps: 5\n  lr: 0.1\n  steps: 7\n");
        String m = refused(c, List.of()).getMessage();
        assertContains(m, c.toString(), "duplicate key 'training.steps'", "line 5");
    }

    @Test
    void aDuplicateKeyIsAnErrorEvenWhenSetOverridesIt() throws IOException {
        Path c = yaml("model: m\ntraining: {steps: 5}\ntraining: {steps: 6}\n");
        assertContains(refused(c, List.of("training.steps=7")).getMessage(), "duplicate key 'training'", "line 3");
        assertContains(
                assertThrows(ConfigException.class, () -> loader.merged(c, List.of("training.steps=7")))
                        .getMessage(),
                "duplicate key 'training'");
    }

    @Test
    void aDuplicateKeyInASetValueIsAnError() throws IOException {
        Path c = yaml("model: m\n");
        String m = refused(c, List.of("training={steps: 5, steps: 6}")).getMessage();
        assertContains(m, "--set training={steps: 5, steps: 6}", "duplicate key 'steps'");
    }

    @Test
    void anIntegerGivenAsAFractionNamesTheField() throws IOException {
        Path c = yaml("model: m\ntraining:\n  steps: 6.9\n");
        assertContains(refused(c, List.of()).getMessage(), c.toString(), "training.steps", "whole number", "6.9");
        assertContains(refused(yaml("model: m\nseed: 1.5\n"), List.of()).getMessage(), "'seed'", "whole number");
        assertContains(
                refused(yaml("model: m\ntraining: {steps: 6.0}\n"), List.of()).getMessage(), "training.steps");
    }

    @Test
    void anIntegerGivenAsAFractionInASetNamesTheField() throws IOException {
        Path c = yaml("model: m\n");
        assertContains(refused(c, List.of("training.eval_every=2.5")).getMessage(), "training.eval_every", "2.5");
    }

    @Test
    void anIntegerGivenAsAFractionInAStringNamesTheField() throws IOException {
        Path c = yaml("model: m\ntraining:\n  keep_checkpoints: \"6.9\"\n");
        assertContains(refused(c, List.of()).getMessage(), "training.keep_checkpoints", "whole number", "6.9");
    }

    @Test
    void aQuotedNumberOrANumberForABooleanNamesTheField() throws IOException {
        Path c = yaml("model: m\ntraining:\n  steps: \"6\"\n");
        assertContains(refused(c, List.of()).getMessage(), "training.steps", "whole number", "the string '6'");
        c = yaml("model: m\ntraining:\n  train_pooler: 7\n");
        assertContains(refused(c, List.of()).getMessage(), "training.train_pooler", "true or false", "7");
    }

    @Test
    void anIntegerOutOfRangeNamesTheField() throws IOException {
        Path c = yaml("model: m\ntraining:\n  batch_size: 99999999999\n");
        assertContains(refused(c, List.of()).getMessage(), "training.batch_size");
    }

    @Test
    void deepNestingIsAClearErrorNamingTheFile() throws IOException {
        Path flow = yaml("model: m\nx: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertContains(refused(flow, List.of()).getMessage(), flow.toString(), "nest");
        StringBuilder block = new StringBuilder("model: m\n");
        for (int i = 0; i < 2000; i++) {
            block.append(" ".repeat(i)).append("k:\n");
        }
        Path deep = yaml(block.toString());
        assertContains(refused(deep, List.of()).getMessage(), deep.toString(), "nest");
    }

    @Test
    void deepNestingInASetValueIsAClearError() throws IOException {
        Path c = yaml("model: m\n");
        String value = "[".repeat(3000) + "]".repeat(3000);
        assertContains(refused(c, List.of("task.x=" + value)).getMessage(), "--set", "nest");
    }

    @Test
    void aMillionDigitNumberFailsFastNamingTheFieldOrLine() throws IOException {
        Path c = yaml("model: m\ntraining:\n  lr: 0." + "1".repeat(1_000_000) + "\n");
        // a bound against a parse that never ends, wide enough for a loaded 2-core machine (reading the 1 MB file
        // took over 5 s there once); the message naming the limit is the check that the limit refused it
        ConfigException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> refused(c, List.of()));
        assertContains(e.getMessage(), c.toString(), "training.lr", "1000");
    }

    @Test
    void validConfigsStillRead() throws IOException {
        Path c = yaml("model: m\ntraining: {steps: 7, lr: 5e-5, clip_norm: 1}\nseed: 3\noutput: out\n");
        TrainConfig cfg = loader.read(c, TrainConfig.class, List.of("training.batch_size=4"));
        assertEquals(7, cfg.training().steps());
        assertEquals(5e-5, cfg.training().lr());
        assertEquals(1.0, cfg.training().clipNorm());
        assertEquals(4, cfg.training().batchSize());
        assertEquals(3L, cfg.seed());
        assertEquals(7, cfg.training().decaySteps(), "the rate reaches 0 at the last step by default");
        assertEquals(
                15625,
                loader.read(c, TrainConfig.class, List.of("training.decay_steps=15625"))
                        .training()
                        .decaySteps());
    }
}
