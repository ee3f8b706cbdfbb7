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

    public BertTokenizer tokenizer() {
        try {
            return new BertTokenizer(Vocab.load(vocabFile), lowerCase);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary " + vocabFile + " of model " + name, e);
        }
    }
}
