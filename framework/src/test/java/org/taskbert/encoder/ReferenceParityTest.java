package org.taskbert.encoder;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;

/**
 * bert-base-uncased from Maven Central against the independent implementation's vectors in
 * {@code shared/reference}: ids exact, every pooling within 1e-4 alone (5e-4 at 512 tokens),
 * within 1e-3 in one padded batch.
 */
@Tag("integration")
class ReferenceParityTest {

    static LoadedModel model;
    static List<ReferenceVectors.Ref> refs;

    @BeforeAll
    static void load() throws IOException {
        model = Models.load("bert-base-uncased");
        refs = ReferenceVectors.read("reference/bert-base-uncased-vectors.jsonl", 16);
    }

    /** Both engines: the SameDiff graph and the plain-array inference path that embed and evaluation use. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyPoolingWithin1e4AloneAnd1e3InOnePaddedBatch(Engine engine) {
        // the tokenizer's ids are checked in ReferenceTokenizationTest
        ReferenceVectors.check(engine.open(model.weights(), 16), model.tokenizer(), refs);
    }
}
