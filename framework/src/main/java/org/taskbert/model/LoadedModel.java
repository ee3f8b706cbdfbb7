package org.taskbert.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.taskbert.tokenize.BertTokenizer;
import org.taskbert.tokenize.Vocab;

/** A model ready to use: its weights, and the vocabulary and casing its tokenizer needs. */
public record LoadedModel(String name, BertWeights weights, Path vocabFile, boolean lowerCase) {

    public BertConfig config() {
        return weights.config();
    }

    /** This model with another GELU form ({@code gelu} or {@code gelu_new}). */
    public LoadedModel withActivation(String activation) {
        return new LoadedModel(
                name,
                weights.withConfig(config().withActivation(BertConfig.Activation.parse(activation))),
                vocabFile,
                lowerCase);
    }

    public BertTokenizer tokenizer() {
        try {
            return new BertTokenizer(Vocab.load(vocabFile), lowerCase);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary " + vocabFile + " of model " + name, e);
        }
    }
}
