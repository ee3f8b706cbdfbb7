package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;

/**
 * bert-base-multilingual-cased from Maven Central against the independent implementation's vectors for its 17
 * inputs (Japanese scripts, half-width katakana, full-width Latin, a character beyond the BMP, Chinese, Korean,
 * Arabic, Cyrillic, German, emoji, the empty string, a tab, a Japanese text cut at 512 tokens): every pooling within
 * 1e-4 alone (5e-4 at 512 tokens), within 1e-3 in one padded batch. Ids are held exact by
 * ReferenceTokenizationTest.
 */
@Tag("integration")
class MultilingualReferenceParityTest {

    static LoadedModel model;
    static List<ReferenceVectors.Ref> refs;

    @BeforeAll
    static void load() throws IOException {
        model = Models.load("bert-base-multilingual-cased");
        assertEquals(119_547, model.config().vocabSize());
        refs = ReferenceVectors.read("reference/bert-base-multilingual-cased-vectors.jsonl", 17);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyPoolingWithin1e4AloneAnd1e3InOnePaddedBatch(Engine engine) {
        ReferenceVectors.check(engine.open(model.weights(), 17), model.tokenizer(), refs);
    }
}
