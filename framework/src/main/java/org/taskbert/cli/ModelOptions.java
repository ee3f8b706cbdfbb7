package org.taskbert.cli;

import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares (a picocli mixin; the spark module's commands use it too). */
public final class ModelOptions {

    @Option(
            names = {"-m", "--model"},
            required = true,
            description =
                    "an alias (bert-base-uncased, bert-base-cased, bert-base-multilingual-cased), "
                            + "Maven coordinates group:artifact:version, a model folder, a run folder or one of its checkpoints")
    String model;

    @Option(
            names = "--batch-size",
            defaultValue = "" + Encoder.DEFAULT_BATCH_SIZE,
            description = "sentences per forward pass, at most " + Encoder.MAX_BATCH_TOKENS
                    + " padded tokens (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(
            names = "--activation",
            description = "override the model's GELU: gelu (exact erf form) or gelu_new (tanh form)")
    String activation;

    /** The model, with the GELU override applied. */
    public LoadedModel load() {
        LoadedModel m = Models.load(model);
        return activation == null ? m : m.withActivation(activation);
    }

    /** The model's name or coordinates as given. */
    public String name() {
        return model;
    }

    public int batchSize() {
        return batchSize;
    }

    TextEncoder open() {
        return TextEncoder.open(load(), batchSize);
    }
}
