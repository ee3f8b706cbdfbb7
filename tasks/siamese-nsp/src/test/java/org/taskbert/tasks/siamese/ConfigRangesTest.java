package org.taskbert.tasks.siamese;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.cli.CliRun.Result;
import org.taskbert.corpus.SyntheticCorpus;
import org.taskbert.model.TinyModels;

/**
 * {@code taskbert train} refuses a field out of its range before anything loads: the message names the field, and
 * no run folder is left behind.
 */
class ConfigRangesTest {

    @TempDir
    Path tmp;

    /** A good config with {@code training} and {@code task} extended by the given YAML flow entries. */
    private Path config(String training, String task) throws IOException {
        Path corpus = SyntheticCorpus.write(tmp.resolve("c.jsonl.gz"), 10, 4, 1);
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 1, true);
        return Files.writeString(
                tmp.resolve("c.yaml"),
                "model: " + model + "\ntask: {type: siamese-nsp, corpus: " + corpus + task
                        + "}\ntraining: {steps: 2, batch_size: 2, eval_every: 2" + training + "}\noutput: "
                        + tmp.resolve("run") + "\n");
    }

    private void assertRefused(Result r, String... fragments) {
        assertNotEquals(0, r.code(), r.out());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), () -> "error should contain '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), r.err()); // no stack trace
        assertFalse(Files.exists(tmp.resolve("run")), "no run folder is left behind: " + r.err());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "keep_checkpoints: 0              | training.keep_checkpoints | must be positive",
                "weight_decay: -0.01              | training.weight_decay     | must be at least 0",
                "max_length: 1                    | training.max_length       | must be at least 3",
                "max_length: 2                    | training.max_length       | must be at least 3",
                "dropout: 'NaN'                   | training.dropout          | got NaN",
                "dropout: 1                       | training.dropout          | [0, 1)",
                "train_layers: -7                 | training.train_layers     | got -7",
                "lr: 'NaN'                        | training.lr               | got NaN",
                "lr: 'Infinity'                   | training.lr               | finite",
                "head_lr: -1                      | training.head_lr          | must be positive",
                "clip_norm: -1                    | training.clip_norm        | must be at least 0",
                "clip_norm: 'NaN'                 | training.clip_norm        | got NaN",
                "weight_decay: 'Infinity'         | training.weight_decay     | finite",
                "log_every: 0                     | training.log_every        | must be positive",
                "warmup_steps: -1                 | training.warmup_steps     | must be at least 0",
                "decay_steps: 1                   | training.decay_steps      | must be at least training.steps",
                "grad_accumulation: 0             | training.grad_accumulation| must be positive",
                "checkpoint_every: -3             | training.checkpoint_every | must be positive",
                "adam_epsilon: 'NaN'              | training.adam_epsilon     | must be positive",
                "best_metric: ''                  | training.best_metric      | empty",
                "log_every: 6.9                   | training.log_every        | whole number, got 6.9",
                "max_length: '6'                  | training.max_length       | whole number, got the string '6'",
                "train_pooler: 7                  | training.train_pooler     | true or false",
            })
    void aTrainingFieldOutOfRangeIsNamedBeforeAnythingLoads(String entry, String field, String why) throws IOException {
        assertRefused(run("train", config(", " + entry, "").toString()), "field '" + field.strip() + "'", why);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "pairs_per_epoch: 0      | task.pairs_per_epoch | must be positive",
                "pairs_per_epoch: -5     | task.pairs_per_epoch | must be positive",
                "temperature: 'NaN'      | task.temperature     | got NaN",
                "temperature: 'Infinity' | task.temperature     | finite",
                "temperature: 0          | task.temperature     | must be positive",
                "max_docs: -1            | task.max_docs        | must be at least 0",
                "pairs_per_epoch: 2.5    | task.pairs_per_epoch | whole number",
            })
    void aTaskFieldOutOfRangeIsNamedBeforeAnythingLoads(String entry, String field, String why) throws IOException {
        assertRefused(run("train", config("", ", " + entry).toString()), "field '" + field.strip() + "'", why);
    }

    @Test
    void aSetOverrideOutOfRangeIsNamed() throws IOException {
        Path c = config("", "");
        assertRefused(run("train", c.toString(), "--set", "training.keep_checkpoints=0"), "training.keep_checkpoints");
        assertRefused(run("train", c.toString(), "--set", "training.dropout=NaN"), "training.dropout");
        assertRefused(run("train", c.toString(), "--set", "task.pairs_per_epoch=-5"), "task.pairs_per_epoch");
    }

    @Test
    void aDuplicateKeyIsNamedWithItsLine() throws IOException {
        Path c = config("", "");
        Files.writeString(c, Files.readString(c) + "training: {steps: 1}\n");
        assertRefused(run("train", c.toString()), c.toString(), "duplicate key 'training' at line 5");
        assertRefused(run("train", c.toString(), "--set", "training.steps=3"), "duplicate key 'training' at line 5");
    }
}
